#!/usr/bin/env python3
"""Render the counter app's windows offscreen into docs/screenshots/ (for the README).

A real server runs in this process on a scratch SQLite database with the demo office. Its
clock is moved back while a morning is played through the API (tickets served, one no-show,
people waiting since various times), then set to now; the window itself is the real one,
signed in as petugas1 at Loket 1, in the default language (Indonesian). It calls the next
ticket with its own button, and a colleague at Loket 3 transfers a ticket to it. Then the
waiting-room TV at 1920×1080 and 1366×768, with a running text; then the
kiosk of the sample office: its start screen (Loket 1 and 3 open, so one service is closed),
a ticket taken with its own buttons (no printer set up here), and the booking check-in screen.
Last the supervisor's board, signed in as ``supervisor``: a Kartu Keluarga ticket waiting past
its 30-minute target and the kiosk's printer out of paper raise alerts; a running text is set
(at 1440×860, and at 1280×800 with a notice). The kiosk is shot at 1024×768, 1280×800 and
upright at 1080×1920 (start, ticket, check-in with an error), and the survey tablet's
question 6 at 640×520 and 800×600. Then pairing new stations: the supervisor's Devices dialog,
the code it makes for a TV, a kiosk and a survey screen, each station's first start listing
the servers found with its code typed in, and the counter's first sign-in.
Last, the reports window of the same day, signed in as the supervisor, after four citizens
answered the satisfaction survey.

    .venv/bin/python scripts/screenshots.py
    .venv/bin/python scripts/screenshots.py --only display   # only the TV's pictures

Run it in the office's daytime: shortly after midnight in Jakarta the played morning would
fall on the previous service day.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

# This script drives the app's Qt windows (the Qt ban is for the Qt-free floors).
from PySide6.QtCore import QSettings  # noqa: TID251
from PySide6.QtWidgets import QApplication, QWidget  # noqa: TID251

from counter_app.cli import prepare_demo
from counter_app.client.api import ApiClient
from counter_app.config import Settings
from counter_app.core.vocabulary import CounterState, FaultKind
from counter_app.server.app import create_app
from counter_app.server.background import BackgroundServer
from counter_app.views.app import ensure_app
from counter_app.views.counter.controller import CounterCommand as Action
from counter_app.views.counter.login import LoginDialog
from counter_app.views.counter.run import open_counter_window
from counter_app.views.counter.session import open_counter, sign_in
from counter_app.views.display.run import open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.i18n import translations_dir
from counter_app.views.kiosk.controller import connect
from counter_app.views.kiosk.run import KioskSetupDialog, open_kiosk_window
from counter_app.views.kiosk.settings import KioskSettings
from counter_app.views.reports.window import ReportsWindow
from counter_app.views.settings import AppSettings
from counter_app.views.supervisor.run import open_supervisor_window
from counter_app.views.supervisor.session import sign_in_supervisor
from counter_app.views.survey.window import SurveyWindow

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = secrets.token_urlsafe(12)
# Minutes ago: issued, called, started, finished (None: a no-show, skipped when called).
MORNING = [(98, 95, 94, 88), (96, 88, 87, 81), (93, 81, None, None), (90, 80, 79, 72)]
MORNING += [(85, 72, 71, 64), (80, 64, 63, 58)]
WAITING = [(22, False), (17, True), (12, False), (8, False), (5, False), (2, False)]


class MovableClock:
    """The server's clock: now, or a given number of minutes ago."""

    def __init__(self) -> None:
        self.back = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) - self.back

    def minutes_ago(self, minutes: float) -> None:
        self.back = timedelta(minutes=minutes)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def play_the_morning(url: str, kiosk_token: str, clock: MovableClock) -> list[str]:
    """The morning's tickets; returns the codes of those served (for the survey)."""
    kiosk = ApiClient(url, kiosk_token)
    officer = ApiClient(url)
    branch = officer.login("petugas1", PASSWORD).user.branch_id
    assert branch is not None
    service_a = next(s.id for s in officer.list_services(branch) if s.prefix == "A")
    loket1 = next(c.id for c in officer.list_counters(branch) if c.number == 1)
    lansia = next(p.id for p in officer.list_priority_classes(branch) if p.code == "lansia")
    clock.minutes_ago(MORNING[0][0])
    officer.set_counter_state(loket1, CounterState.OPEN)
    issued = []
    served = []
    for issued_at, *_ in MORNING:
        clock.minutes_ago(issued_at)
        issued.append(kiosk.issue_ticket(service_a))
    for _issued_at, called, started, finished in MORNING:
        clock.minutes_ago(called)
        ticket = officer.call_next(loket1).ticket
        assert ticket is not None
        if started is None or finished is None:
            clock.minutes_ago(called - 2)
            officer.skip_ticket(ticket.id)
            continue
        clock.minutes_ago(started)
        officer.start_service(ticket.id)
        clock.minutes_ago(finished)
        officer.finish_ticket(ticket.id)
        served.append(ticket.code)
    for minutes, priority in WAITING:
        clock.minutes_ago(minutes)
        kiosk.issue_ticket(service_a, lansia if priority else None)
    clock.minutes_ago(0)
    officer.logout()  # the window signs in afresh, as an officer does after a break
    return served


# Satisfaction survey answers (U1..U9, 1-4) of four of the served citizens.
SURVEY = [[4, 4, 3, 4, 4, 4, 4, 3, 4], [3, 3, 3, 4, 3, 4, 4, 3, 3], [4, 3, 4, 4, 3, 4, 4, 2, 4]]
SURVEY += [[3, 3, 2, 4, 3, 3, 4, 3, 3]]


def shoot_reports(qt: QApplication, url: str, served: list[str]) -> None:
    """The supervisor's reports window of today, after a few survey answers."""
    for code, answers in zip(served, SURVEY, strict=False):
        body = {f"u{i}": value for i, value in enumerate(answers, start=1)}
        requests.post(f"{url}/api/v1/public/tickets/{code}/survey", json=body, timeout=10)
    supervisor = ApiClient(url)
    branch = supervisor.login("supervisor", PASSWORD).user.branch_id
    assert branch is not None
    window = ReportsWindow(supervisor, branch)
    window.resize(1180, 560)
    window.show()
    wait_until(qt, lambda: window.report is not None)
    shoot(qt, window, "reports-services.png")
    window.tabs.setCurrentWidget(window.chart_view)
    shoot(qt, window, "reports-arrivals.png")
    window.close()


def transfer_from_loket3(url: str, kiosk_token: str) -> None:
    """A colleague sends a citizen over to Loket 1, with a note."""
    kiosk = ApiClient(url, kiosk_token)
    colleague = ApiClient(url)
    branch = colleague.login("petugas3", PASSWORD).user.branch_id
    assert branch is not None
    counters = {c.number: c.id for c in colleague.list_counters(branch)}
    service_b = next(s.id for s in colleague.list_services(branch) if s.prefix == "B")
    kiosk.issue_ticket(service_b)
    colleague.set_counter_state(counters[3], CounterState.OPEN)
    called = colleague.call_next(counters[3]).ticket
    assert called is not None
    colleague.transfer_ticket(called.id, counter_id=counters[1], note="Perlu perekaman KTP-el")


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.01)


def shoot(app: QApplication, widget: QWidget, name: str) -> None:
    if ONLY and not name.startswith(ONLY):
        return  # the same scene is played; only the pictures asked for are written
    for _ in range(20):  # let layouts settle and paint
        app.processEvents()
        time.sleep(0.01)
    path = OUT / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"screenshots: could not write {path}")
    print(f"wrote {path.relative_to(ROOT)} ({widget.width()}×{widget.height()})")


def shoot_display(qt: QApplication, url: str, token: str, tmp: str) -> None:
    """The waiting-room TV at full HD and at 1366×768, with a running text from a supervisor."""
    supervisor = ApiClient(url)
    supervisor.login("supervisor", PASSWORD)
    branch_id = supervisor.list_branches()[0].id
    supervisor.set_running_text(
        branch_id,
        "Selamat datang di Dukcapil. Siapkan KTP-el dan Kartu Keluarga asli sebelum dipanggil.",
    )
    settings = DisplaySettings(QSettings(f"{tmp}/display.ini", QSettings.Format.IniFormat))
    shown = open_display(url, token, settings, windowed=True, announce=False)
    wait_until(qt, lambda: shown.station.feed is not None and shown.station.feed.board is not None)
    for width, height in ((1920, 1080), (1366, 768)):
        shown.window.resize(width, height)
        qt.processEvents()
        time.sleep(1.1)  # the clock ticks once
        shown.window.call.set_highlight(width == 1920)  # the fresh call, highlighted, once
        shoot(qt, shown.window, f"display-{width}x{height}.png")
    shown.close()


KIOSK_SIZES = [(1024, 768), (1280, 800), (1080, 1920)]


def shoot_kiosk(qt: QApplication, url: str, token: str, tmp: str) -> None:
    settings = KioskSettings(QSettings(f"{tmp}/kiosk.ini", QSettings.Format.IniFormat))
    settings.server_url = url
    settings.public_base_url = "http://192.168.1.10:8750"
    client = ApiClient(url, token)
    kiosk = open_kiosk_window(client, connect(client), settings, fullscreen=False)
    kiosk.resize(1024, 768)
    kiosk.show()
    wait_until(qt, lambda: len(kiosk.start_page.buttons) == 4)
    settle(qt)
    shoot(qt, kiosk, "kiosk-start.png")
    closed = next(b for b in kiosk.start_page.buttons.values() if not b.isEnabled())
    closed.closed_tapped.emit()  # a tap on a closed service: the notice says why
    settle(qt)
    shoot(qt, kiosk, "kiosk-closed-tapped.png")
    kiosk.notice.setVisible(False)
    service_b = next(b for b in kiosk.start_page.buttons.values() if "Kartu" in b.full_text())
    service_b.click()
    kiosk.priority_page.buttons[None].click()
    wait_until(qt, lambda: kiosk.ticket_page.ticket is not None)
    wait_until(qt, lambda: kiosk.ticket_page.print_status.text() != "")
    wait_until(qt, lambda: "…" not in kiosk.ticket_page.print_status.text())
    shoot(qt, kiosk, "kiosk-ticket.png")
    for width, height in KIOSK_SIZES:
        kiosk.resize(width, height)
        kiosk.pages.setCurrentWidget(kiosk.ticket_page)
        settle(qt)
        shoot(qt, kiosk, f"kiosk-ticket-{width}x{height}.png")
        kiosk.go_start()
        settle(qt)
        shoot(qt, kiosk, f"kiosk-start-{width}x{height}.png")
        kiosk.start_page.check_in.click()
        for char in "K7MN":
            kiosk.check_in_page.keypad.keys[char].click()
        kiosk.check_in_page.show_message(
            "Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi."
        )
        settle(qt)
        shoot(qt, kiosk, f"kiosk-check-in-{width}x{height}.png")
    kiosk.resize(1024, 768)
    kiosk.go_start()
    kiosk.start_page.check_in.click()
    for char in "K7MN":
        kiosk.check_in_page.keypad.keys[char].click()
    settle(qt)
    shoot(qt, kiosk, "kiosk-check-in.png")
    kiosk.shut_down()


def shoot_survey(qt: QApplication) -> None:
    """The survey tablet's question 6 (the one that was cut) at its two usual sizes."""
    window = SurveyWindow()
    window.set_counter_name("Loket 1")
    window.show()
    for width, height in [(640, 520), (800, 600)]:
        window.resize(width, height)
        window.show_question(5, "A-014", chosen=None)
        settle(qt)
        shoot(qt, window, f"survey-{width}x{height}.png")
    window.close()


def settle(qt: QApplication) -> None:
    """Let resizes and layouts run before a picture is taken."""
    for _ in range(5):
        qt.processEvents()
        time.sleep(0.02)


def shoot_supervisor(qt: QApplication, url: str, kiosk_token: str, clock: MovableClock) -> None:
    kiosk = ApiClient(url, kiosk_token)
    session = sign_in_supervisor(url, "supervisor", PASSWORD)
    client, branch = session.client, session.branch_id
    service_b = next(s.id for s in client.list_services(branch) if s.prefix == "B")
    clock.minutes_ago(41)
    kiosk.issue_ticket(service_b)  # past Kartu Keluarga's 30-minute target
    clock.minutes_ago(0)
    kiosk.issue_ticket(service_b)
    client.set_running_text(branch, "Loket 4 istirahat sampai pukul 13.00")
    window = open_supervisor_window(session)
    window.resize(1440, 860)
    window.show()
    wait_until(qt, lambda: window.controller.board is not None and bool(window.counters.cards))
    kiosk.report_device_fault(FaultKind.PRINTER, "Kertas habis")  # live: the board hears it
    wait_until(qt, lambda: len(window.alerts.texts()) >= 2)
    time.sleep(1.2)  # let the serving times tick once
    shoot(qt, window, "supervisor-board.png")
    window.resize(1280, 800)
    window.show_notice("Nomor dialihkan.")  # the notice has its own strip: nothing moves
    settle(qt)
    shoot(qt, window, "supervisor-board-1280x800.png")
    window.shut_down()


def make_pairing_code(
    qt: QApplication, devices: QWidget, kind: int, name: str, picture: str
) -> tuple[QWidget, str]:
    """In the supervisor's Devices dialog: *Add a station…*, the kind and the name (a picture
    named ``picture``), then *Make a pairing code*; the code's dialog (open) and the code."""
    from counter_app.views.supervisor.devices_dialog import (
        AddStationDialog,
        DevicesDialog,
        SecretDialog,
    )

    assert isinstance(devices, DevicesDialog)
    devices.add_button.click()
    add = devices.shown
    assert isinstance(add, AddStationDialog)
    add.kind.setCurrentIndex(kind)
    add.name.setText(name)
    settle(qt)
    shoot(qt, add, picture)
    add.check()
    wait_until(qt, lambda: isinstance(devices.shown, SecretDialog))
    code_dialog = devices.shown
    assert isinstance(code_dialog, SecretDialog)
    wait_until(qt, lambda: not devices.busy)
    settle(qt)
    return code_dialog, code_dialog.secret.text()


def shoot_pairing(qt: QApplication, url: str, tmp: str) -> None:
    """Pairing new stations (docs/INSTALL.md): the supervisor's Devices dialog, its *Add a
    station* dialog for a TV, a kiosk and a survey screen, and the code each makes; then each
    station's first start listing the servers found on the LAN (a found server given to the
    dialog: no multicast needed here) with its code typed in, and the counter's first sign-in
    with the same list."""
    from counter_app.views.supervisor.devices_dialog import DevicesDialog

    session = sign_in_supervisor(url, "supervisor", PASSWORD)
    devices = DevicesDialog(session.client)
    devices.show()
    wait_until(qt, lambda: len(devices.devices) >= 2 and not devices.busy)
    code_dialog, code = make_pairing_code(qt, devices, 0, "TV lobi 2", "pairing-add-station.png")
    shoot(qt, code_dialog, "pairing-code.png")
    code_dialog.close()
    kiosk_dialog, kiosk_code = make_pairing_code(
        qt, devices, 1, "Kiosk pintu masuk", "pairing-add-kiosk.png"
    )
    shoot(qt, kiosk_dialog, "pairing-code-kiosk.png")
    kiosk_dialog.close()
    survey_dialog, survey_code = make_pairing_code(
        qt, devices, 2, "Survei loket 1", "pairing-add-survey.png"
    )
    shoot(qt, survey_dialog, "pairing-code-survey.png")
    survey_dialog.close()
    settle(qt)
    shoot(qt, devices, "pairing-devices.png")
    devices.close()
    shoot_first_starts(qt, tmp, code, kiosk_code, survey_code)


def shoot_first_starts(
    qt: QApplication, tmp: str, code: str, kiosk_code: str, survey_code: str
) -> None:
    """The TV's, the survey screen's and the kiosk's first start, each with its code typed
    in, and the counter's first sign-in: the servers found on the LAN listed."""
    from counter_app.client.discovery import FoundServer
    from counter_app.views.station_pairing import StationPairingDialog

    found = [
        FoundServer(
            "counter-app on kantor",
            "http://192.168.1.10:8750",
            "",
            ("Disdukcapil Kota Contoh",),
            False,
            None,
        ),
    ]
    station = StationPairingDialog("TV ruang tunggu — pemasangan", browse_servers=lambda: found)
    station.show()
    wait_until(qt, lambda: station.finder.servers.count() == 1)
    station.finder.code.setText(code)
    settle(qt)
    shoot(qt, station, "pairing-station.png")
    station.close()

    survey = StationPairingDialog("Layar survei — pemasangan", browse_servers=lambda: found)
    survey.show()
    wait_until(qt, lambda: survey.finder.servers.count() == 1)
    survey.finder.code.setText(survey_code)
    settle(qt)
    shoot(qt, survey, "pairing-survey.png")
    survey.close()

    kiosk_settings = KioskSettings(QSettings(f"{tmp}/kiosk-new.ini", QSettings.Format.IniFormat))
    kiosk = KioskSetupDialog(kiosk_settings, need_pin=True, browse_servers=lambda: found)
    kiosk.show()
    finder = kiosk.finder
    assert finder is not None
    wait_until(qt, lambda: finder.servers.count() == 1)
    finder.code.setText(kiosk_code)
    settle(qt)
    shoot(qt, kiosk, "pairing-kiosk.png")
    kiosk.close()

    prefs = AppSettings(QSettings(f"{tmp}/counter-new.ini", QSettings.Format.IniFormat))
    login = LoginDialog(prefs, browse_servers=lambda: found)
    login.show()
    login_finder = login.finder
    assert login_finder is not None
    wait_until(qt, lambda: login_finder.servers.count() == 1)
    login_finder.servers.setCurrentRow(0)
    login.username.setText("petugas1")
    settle(qt)
    shoot(qt, login, "pairing-counter-login.png")
    login.close()


ONLY = sys.argv[2] if len(sys.argv) == 3 and sys.argv[1] == "--only" else ""


def main() -> int:
    if not (translations_dir() / "counter_app_id.qm").is_file():
        build = ROOT / "scripts" / "build_translations.py"
        subprocess.run([sys.executable, str(build)], check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/demo.sqlite3", port=free_port())
        tokens = prepare_demo(settings, PASSWORD)
        clock = MovableClock()
        app = create_app(settings, clock=clock)
        with BackgroundServer(app, "127.0.0.1", settings.port, "warning") as server:
            served = play_the_morning(server.url, tokens["Kiosk lobi"], clock)
            prefs = AppSettings(QSettings(f"{tmp}/settings.ini", QSettings.Format.IniFormat))
            prefs.last_username = "petugas1"
            qt = ensure_app(prefs)

            login = LoginDialog(prefs, "http://192.168.1.10:8750")
            login.password.setText(PASSWORD[:10])
            login.show()
            wait_until(qt, login.password.hasFocus)
            login.password.deselect()  # focus selects it all; a typing officer sees no selection
            shoot(qt, login, "counter-login.png")
            login.close()

            session = sign_in(server.url, "petugas1", PASSWORD)
            counter = session.counter_by_number(1)
            open_counter(session, counter.id)
            window = open_counter_window(session, counter.id, prefs)
            window.show()
            wait_until(qt, lambda: window.controller.can(Action.CALL_NEXT))
            window.buttons[Action.CALL_NEXT].click()
            wait_until(qt, lambda: window.controller.can(Action.START))
            transfer_from_loket3(server.url, tokens["Kiosk lobi"])
            wait_until(qt, lambda: window.queue_panel._transfers[0].isVisibleTo(window))
            wait_until(qt, lambda: window.controller.today is not None)
            qt.processEvents()
            time.sleep(1.2)  # let the clock on the panel tick once
            shoot(qt, window, "counter-main.png")
            shoot_display(qt, server.url, tokens["TV ruang tunggu"], tmp)
            shoot_kiosk(qt, server.url, tokens["Kiosk lobi"], tmp)
            shoot_supervisor(qt, server.url, tokens["Kiosk lobi"], clock)
            shoot_survey(qt)
            shoot_pairing(qt, server.url, tmp)
            window.shut_down()
            shoot_reports(qt, server.url, served)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
