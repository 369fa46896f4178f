"""Logging out hands the counter PC over: the counter closes and the session ends."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.counter.run import work_at_counter
from counter_app.views.counter.session import open_counter, sign_in
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.counter_helpers import counter_window, press, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.office import PASSWORD
from tests.support.queue_ops import issue, state_of


def counter_state(running: Running, number: int) -> str:
    sup = running.login("supervisor")
    counters = sup.get(f"/api/v1/branches/{running.office.branch_id}/counters").json()
    counter_id = running.office.counters[number]
    return str(next(c for c in counters if c["id"] == counter_id)["state"])


def test_log_out_closes_the_counter_and_ends_the_session(
    qapp: QApplication, running_sqlite: Running, app_settings: AppSettings
) -> None:
    session = sign_in(running_sqlite.server.url, "petugas1", PASSWORD)
    counter = session.counter_by_number(1)
    open_counter(session, counter.id)
    token = session.client.token
    seen: list[CounterWindow] = []

    def press_log_out_once_loaded() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, CounterWindow)]
        if windows and windows[0].controller.board is not None:
            seen.append(windows[0])
            windows[0].logout_button.click()
        else:
            QTimer.singleShot(20, press_log_out_once_loaded)

    QTimer.singleShot(0, press_log_out_once_loaded)
    QTimer.singleShot(WAIT_MS, qapp.quit)  # a bound, should the window never close
    handed_over = work_at_counter(qapp, session, counter.id, app_settings)

    assert seen, "the counter window never loaded"
    assert handed_over
    assert not seen[0].isVisible()
    assert counter_state(running_sqlite, 1) == "closed"
    me = running_sqlite.anon.as_token(str(token)).get("/api/v1/auth/me")
    assert me.status_code == 401  # the session ended with the log-out


def test_log_out_waits_for_the_ticket_in_hand(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    press(qtbot, window, CounterCommand.CALL_NEXT)
    qtbot.waitUntil(lambda: shown_number(window) == ticket["number"], timeout=WAIT_MS)

    window.logout_button.click()
    assert window.isVisible()
    assert not window.logged_out
    assert ticket["number"] in window.notice.text()
    assert counter_state(running_sqlite, 1) == "open"
    assert state_of(running_sqlite.login("supervisor"), ticket["id"]) == "called"
