"""Pairing in the windows: the supervisor's Devices dialog (add a station → a code, revoke,
new token) against a live server, and a station's set-up listing the servers found (a fake
browse result at the dialog's seam; the real mDNS browse is tested in
tests/integration/test_discovery.py) and claiming a code for real."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from counter_app.client.discovery import FoundServer
from counter_app.views.counter.login import LoginDialog
from counter_app.views.find_server import claim_with_api
from counter_app.views.kiosk.run import KioskSetupDialog
from counter_app.views.kiosk.settings import KioskSettings
from counter_app.views.settings import AppSettings
from counter_app.views.station_pairing import StationPairingDialog
from counter_app.views.supervisor.devices_dialog import (
    AddStationDialog,
    DevicesDialog,
    SecretDialog,
)
from tests.gui.conftest import UseLanguage
from tests.gui.supervisor_helpers import Office, office, supervisor_window
from tests.gui.waits import WAIT_MS

__all__ = ["office"]  # the fixture, used by name


def _found(url: str) -> list[FoundServer]:
    return [
        FoundServer("counter-app on kantor", url, "1.0", ("Disdukcapil Kota Contoh",), False, None),
        FoundServer(
            "counter-app on cadangan", "http://192.0.2.9:8750", "1.0", ("Cadangan",), False, None
        ),
    ]


def _state(dialog: DevicesDialog, name: str) -> str:
    row = next(i for i, d in enumerate(dialog.devices) if d.name == name)
    item = dialog.table.item(row, 2)
    return item.text() if item is not None else ""


def _pair_the_station(qtbot: QtBot, url: str, code: str) -> str:
    """The TV's set-up: it lists the servers found, takes a wrong code, then the right one."""
    station = StationPairingDialog("TV — pairing", browse_servers=lambda: _found(url))
    qtbot.addWidget(station)
    finder = station.finder
    with qtbot.waitSignal(finder.browsed, timeout=WAIT_MS):
        station.show()
    labels = [finder.servers.item(i).text() for i in range(finder.servers.count())]
    assert labels == [
        f"Disdukcapil Kota Contoh — {url}",
        "Cadangan — http://192.0.2.9:8750",
    ]
    assert finder.status.text() == "2 server(s) found."
    finder.servers.setCurrentRow(0)
    assert finder.address.text() == url
    finder.code.setText("WRNG-CODE")
    finder.pair.click()
    qtbot.waitUntil(lambda: finder.error.text() != "", timeout=WAIT_MS)
    assert finder.error.text() == (
        "This pairing code is wrong, used or expired. Ask for a new code."
    )
    finder.code.setText(code.lower())
    with qtbot.waitSignal(station.accepted, timeout=WAIT_MS):
        finder.pair.click()
    assert station.answer is not None and station.server_url == url
    return station.answer.token


def test_a_supervisor_adds_a_tv_and_the_station_pairs_with_the_code(
    qtbot: QtBot, office: Office
) -> None:
    running = office.running
    window = supervisor_window(qtbot, running.server.url, "supervisor")
    assert window.devices_action.isVisible()
    window.devices_action.trigger()
    dialog = window.devices_dialog
    assert isinstance(dialog, DevicesDialog)
    qtbot.waitUntil(lambda: len(dialog.devices) >= 2, timeout=WAIT_MS)

    dialog.add_button.click()
    add = dialog.shown
    assert isinstance(add, AddStationDialog)
    add.check()
    assert add.error.text() == "Give the station a name."
    add.name.setText("TV lobi")
    add.check()
    qtbot.waitUntil(lambda: isinstance(dialog.shown, SecretDialog), timeout=WAIT_MS)
    assert isinstance(dialog.shown, SecretDialog)
    code = dialog.shown.secret.text()
    assert len(code) == 9 and code[4] == "-"

    tv = running.anon.as_token(_pair_the_station(qtbot, running.server.url, code))
    assert tv.get(f"/api/v1/branches/{running.office.branch_id}/snapshot").status_code == 200

    dialog.load()
    qtbot.waitUntil(lambda: any(d.name == "TV lobi" for d in dialog.devices), timeout=WAIT_MS)
    assert _state(dialog, "TV lobi") == "active"
    assert dialog.select_device("TV lobi")
    dialog.rotate_button.click()
    qtbot.waitUntil(
        lambda: dialog.status.text() == "TV lobi has a new token; the old one stopped.",
        timeout=WAIT_MS,
    )
    assert isinstance(dialog.shown, SecretDialog)
    new_token = dialog.shown.secret.text()
    assert tv.get(f"/api/v1/branches/{running.office.branch_id}/snapshot").status_code == 401
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.select_device("TV lobi")
    dialog.revoke_button.click()
    qtbot.waitUntil(lambda: _state(dialog, "TV lobi") == "revoked", timeout=WAIT_MS)
    again = running.anon.as_token(new_token)
    assert again.get(f"/api/v1/branches/{running.office.branch_id}/snapshot").status_code == 401


def test_no_server_found_leaves_the_address_to_type(qtbot: QtBot) -> None:
    station = StationPairingDialog("Kiosk", browse_servers=list, claim=claim_with_api)
    qtbot.addWidget(station)
    with qtbot.waitSignal(station.finder.browsed, timeout=WAIT_MS):
        station.show()
    assert station.finder.servers.count() == 0
    assert station.finder.status.text() == "No server found: type its address below."
    station.finder.pair.click()
    assert station.finder.error.text() == "Pick or type the server, then type the pairing code."


def test_the_kiosk_set_up_pairs_and_fills_in_server_and_token(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    running = office.running
    code = (
        running.login("supervisor")
        .post("/api/v1/pairing/codes", {"kind": "kiosk", "name": "Kiosk 2"})
        .json()["code"]
    )
    settings = KioskSettings(QSettings(str(tmp_path / "kiosk.ini"), QSettings.Format.IniFormat))
    dialog = KioskSetupDialog(
        settings, need_pin=True, browse_servers=lambda: _found(running.server.url)
    )
    qtbot.addWidget(dialog)
    finder = dialog.finder
    assert finder is not None
    qtbot.waitUntil(lambda: finder.servers.count() == 2, timeout=WAIT_MS)
    finder.servers.setCurrentRow(0)
    finder.code.setText(code)
    with qtbot.waitSignal(finder.paired, timeout=WAIT_MS):
        finder.pair.click()
    assert dialog.server.text() == running.server.url
    token = dialog.token.text()
    kiosk = running.anon.as_token(token)
    assert kiosk.get(f"/api/v1/branches/{running.office.branch_id}/snapshot").status_code == 200
    dialog.pin.setText("246810")
    dialog.save()
    assert (settings.server_url, settings.device_token) == (running.server.url, token)


def test_the_counter_login_lists_servers_on_a_first_start(
    qtbot: QtBot, app_settings: AppSettings
) -> None:
    login = LoginDialog(app_settings, browse_servers=lambda: _found("http://192.168.1.10:8750"))
    qtbot.addWidget(login)
    finder = login.finder
    assert finder is not None and finder.address.isHidden()
    qtbot.waitUntil(lambda: finder.servers.count() == 2, timeout=WAIT_MS)
    finder.servers.setCurrentRow(1)
    assert login.server.text() == "http://192.0.2.9:8750"
    assert LoginDialog(app_settings).finder is None  # later starts: no search


def test_the_pairing_dialog_speaks_indonesian_down_to_its_cancel_button(
    qtbot: QtBot, use_language: UseLanguage
) -> None:
    """Qt has no Indonesian for its own standard buttons: the dialog names them itself."""
    use_language("id")
    station = StationPairingDialog("TV", browse_servers=list, claim=claim_with_api)
    qtbot.addWidget(station)
    buttons = station.findChild(QDialogButtonBox)
    assert buttons is not None
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Batal"
