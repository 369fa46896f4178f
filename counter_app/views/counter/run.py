"""``counter-app counter``: sign in, choose a counter, work at it; log out to hand over."""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtWidgets import QApplication, QDialog

from counter_app.client.errors import ClientError
from counter_app.views.app import ensure_app
from counter_app.views.counter.controller import CounterController
from counter_app.views.counter.login import CounterPicker, LoginDialog
from counter_app.views.counter.session import OfficerSession
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals

LOGOUT_WAIT_SECONDS = 3.0


def open_counter_window(
    session: OfficerSession, counter_id: int, settings: AppSettings
) -> CounterWindow:
    controller = CounterController(session.client, session.branch_id, counter_id)
    window = CounterWindow(controller, session.user, settings)
    controller.start()
    return window


def choose_counter(
    settings: AppSettings, server_url: str | None
) -> tuple[OfficerSession, int] | None:
    """The login dialog, then the counter picker; ``None`` if the officer gave up."""
    login = LoginDialog(settings, server_url)
    if login.exec() != QDialog.DialogCode.Accepted or login.session is None:
        return None
    session = login.session
    picker = CounterPicker(session)
    if picker.exec() != QDialog.DialogCode.Accepted or picker.counter is None:
        log_out(session)
        return None
    return session, picker.counter.id


def log_out(session: OfficerSession) -> None:
    """End the session on the server (which also closes an idle counter), waiting briefly: an
    unreachable server must not keep the officer from the next sign-in or the app from ending."""

    def work() -> None:
        with contextlib.suppress(ClientError):
            session.client.logout()

    thread = threading.Thread(target=work, name="logout", daemon=True)
    thread.start()
    thread.join(LOGOUT_WAIT_SECONDS)


def work_at_counter(
    app: QApplication, session: OfficerSession, counter_id: int, settings: AppSettings
) -> bool:
    """Show the counter window until it closes; True if the officer logged out to hand over."""
    window = open_counter_window(session, counter_id, settings)
    window.show()
    app.exec()
    log_out(session)
    return window.logged_out


def run_counter(
    server_url: str | None = None, signed_in: tuple[OfficerSession, int] | None = None
) -> int:
    """The officer's day; ``signed_in`` skips the first sign-in (the demo does it)."""
    settings = AppSettings()
    app = ensure_app(settings)
    stop = quit_on_signals(app)
    chosen = signed_in
    while not stop.requested:
        if chosen is None:
            chosen = choose_counter(settings, server_url)
            if chosen is None:
                return 0
        if not work_at_counter(app, *chosen, settings):
            return 0
        chosen = None
    return 0
