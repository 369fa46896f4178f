"""F5 is no longer final at once: the counter window offers "Undo" for a few seconds after a
skip, and "Call a number…" calls a no-show back later (against a real server)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.counter_helpers import counter_window, press, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.queue_ops import issue


def state_on_server(running: Running, ticket_id: int) -> str:
    sup = running.login("supervisor")
    return str(sup.get(f"/api/v1/tickets/{ticket_id}").json()["state"])


def test_undo_after_f5_gives_the_ticket_back_as_called(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    controller = window.controller
    assert not window.undo_bar.isVisible()
    qtbot.waitUntil(lambda: controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: controller.can(CounterCommand.SKIP), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(window.undo_bar.isVisible, timeout=WAIT_MS)
    assert "A-001" in window.undo_bar.label.text()
    assert state_on_server(running_sqlite, ticket["id"]) == "no_show"
    assert shown_number(window) == "—"

    qtbot.waitUntil(window.undo_bar.button.isEnabled, timeout=WAIT_MS)
    window.undo_bar.button.click()
    qtbot.waitUntil(lambda: shown_number(window) == "A-001", timeout=WAIT_MS)
    assert state_on_server(running_sqlite, ticket["id"]) == "called"
    assert not window.undo_bar.isVisible()
    assert controller.can(CounterCommand.START)  # back in hand: serve as usual
    qtbot.waitUntil(lambda: controller.today is not None, timeout=WAIT_MS)


def test_the_undo_offer_goes_away_and_the_number_can_be_called_back(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    controller = window.controller
    press(qtbot, window, CounterCommand.CALL_NEXT)
    press(qtbot, window, CounterCommand.SKIP)
    qtbot.waitUntil(window.undo_bar.isVisible, timeout=WAIT_MS)
    # The offer ends on its own (shortened here; the real one lasts until the server's limit).
    window.undo_bar.remaining = 1
    qtbot.waitUntil(lambda: not window.undo_bar.isVisible(), timeout=WAIT_MS)
    assert not controller.can(CounterCommand.UNDO_SKIP)

    # The citizen turns up later: "Call a number…" brings the no-show back to this counter.
    qtbot.waitUntil(lambda: controller.can(CounterCommand.CALL_NUMBER), timeout=WAIT_MS)
    window.trigger(CounterCommand.CALL_NUMBER)
    dialog = window.text_dialog
    assert dialog is not None
    dialog.field.setText("A-001")
    dialog.accept()
    qtbot.waitUntil(lambda: shown_number(window) == "A-001", timeout=WAIT_MS)
    assert state_on_server(running_sqlite, ticket["id"]) == "called"


def test_ctrl_z_undoes_the_skip_just_made(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    controller = window.controller
    qtbot.waitUntil(lambda: controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: controller.can(CounterCommand.SKIP), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: controller.can(CounterCommand.UNDO_SKIP), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown_number(window) == "A-001", timeout=WAIT_MS)
    assert state_on_server(running_sqlite, ticket["id"]) == "called"
