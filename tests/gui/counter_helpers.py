"""Opening a counter window for a test, the way ``counter-app counter`` does after sign-in."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.counter.run import open_counter_window
from counter_app.views.counter.session import open_counter, sign_in
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings
from tests.gui.waits import WAIT_MS
from tests.support.office import PASSWORD


def counter_window(
    qtbot: QtBot, url: str, username: str, number: int, settings: AppSettings
) -> CounterWindow:
    session = sign_in(url, username, PASSWORD)
    counter = session.counter_by_number(number)
    open_counter(session, counter.id)
    window = open_counter_window(session, counter.id, settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.shut_down())
    window.show()
    qtbot.waitUntil(lambda: window.controller.board is not None, timeout=WAIT_MS)
    return window


def shown_number(window: CounterWindow) -> str:
    return window.ticket_panel.number.text()


def press(qtbot: QtBot, window: CounterWindow, command: CounterCommand) -> None:
    """Click ``command``'s button as soon as the window allows it (as an officer waits for it)."""
    qtbot.waitUntil(lambda: window.controller.can(command), timeout=WAIT_MS)
    window.buttons[command].click()
