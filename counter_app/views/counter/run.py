"""``counter-app counter``: sign in, choose a counter, work at it; log out to hand over."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog

from counter_app.client.errors import ClientError

if TYPE_CHECKING:
    from counter_app.client.discovery import browse
from counter_app.views.app import ensure_app
from counter_app.views.counter.controller import CounterController
from counter_app.views.counter.login import CounterPicker, LoginDialog
from counter_app.views.counter.session import OfficerSession, SignedIn
from counter_app.views.counter.window import CounterWindow
from counter_app.views.display.run import OpenDisplay
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals

log = logging.getLogger(__name__)
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
    first_start = server_url is None and not settings.qt.contains("server_url")
    login = LoginDialog(settings, server_url, browse_servers=browse if first_start else None)
    if login.exec() != QDialog.DialogCode.Accepted or login.session is None:
        return None
    session = login.session
    picker = CounterPicker(session)
    if picker.exec() != QDialog.DialogCode.Accepted or picker.counter is None:
        log_out(session)
        return None
    return session, picker.counter.id


def log_out(session: SignedIn) -> None:
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
    # The loop ends with the counter window, even while the TV window (``--with-display``)
    # stays open. A loop of our own, not app.quit(): that would leave a Quit event behind
    # for whatever loop runs next (the sign-in dialog after a log-out).
    loop = QEventLoop()
    window.window_closed.connect(loop.quit)
    app.lastWindowClosed.connect(loop.quit)
    window.show()
    loop.exec()
    app.lastWindowClosed.disconnect(loop.quit)
    log_out(session)
    return window.logged_out


def run_counter(
    server_url: str | None = None,
    signed_in: tuple[OfficerSession, int] | None = None,
    *,
    with_display: bool = False,
    screen: str | None = None,
    display_token: str | None = None,
    windowed_display: bool = False,
) -> int:
    """The officer's day; ``signed_in`` skips the first sign-in (the demo does it).

    ``with_display`` also opens the waiting-room TV window in this process, on ``screen``; it
    stays up across log-outs (the hall does not go dark when officers change shifts).
    """
    settings = AppSettings()
    app = ensure_app(settings)
    stop = quit_on_signals(app)
    display = None
    if with_display:
        display = open_display_beside(
            server_url or settings.server_url, settings, display_token, screen, windowed_display
        )
    try:
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
    finally:
        if display is not None:
            display.close()


def open_display_beside(
    server_url: str,
    settings: AppSettings,
    token: str | None,
    screen: str | None,
    windowed: bool,
) -> OpenDisplay | None:
    # Imported here: a counter PC without a TV loads none of the display's parts.
    from counter_app.views.display.run import open_display
    from counter_app.views.display.settings import DisplaySettings

    display_settings = DisplaySettings(settings.qt)
    token = token or display_settings.device_token
    if not token:
        log.error("--with-display needs a display device token: add --token TOKEN once")
        return None
    return open_display(server_url, token, display_settings, screen=screen, windowed=windowed)
