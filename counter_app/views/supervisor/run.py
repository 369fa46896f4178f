"""``counter-app supervisor``: sign in as a supervisor (or admin), watch and steer the office."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog

from counter_app.views.app import ensure_app
from counter_app.views.counter.login import LoginDialog
from counter_app.views.counter.run import log_out
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals
from counter_app.views.supervisor.controller import SupervisorController
from counter_app.views.supervisor.session import SupervisorSession, sign_in_supervisor
from counter_app.views.supervisor.window import SupervisorWindow


def open_supervisor_window(session: SupervisorSession) -> SupervisorWindow:
    controller = SupervisorController(session.client, session.branch_id)
    window = SupervisorWindow(controller, session.user)
    controller.start()
    return window


def sign_in_dialog(settings: AppSettings, server_url: str | None) -> SupervisorSession | None:
    """The counter's sign-in dialog with the supervisor's titles; ``None`` if abandoned."""
    dialog = LoginDialog(
        settings,
        server_url,
        window_title=QApplication.translate("Supervisor", "Supervisor — sign in"),
        heading=QApplication.translate("Supervisor", "Sign in to supervise the office"),
        sign_in_with=sign_in_supervisor,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.signed_in if isinstance(dialog.signed_in, SupervisorSession) else None


def show_until_closed(app: QApplication, window: SupervisorWindow) -> None:
    loop = QEventLoop()
    window.window_closed.connect(loop.quit)
    app.lastWindowClosed.connect(loop.quit)
    window.show()
    loop.exec()
    app.lastWindowClosed.disconnect(loop.quit)


def run_supervisor(
    server_url: str | None = None, signed_in: SupervisorSession | None = None
) -> int:
    settings = AppSettings()
    app = ensure_app(settings)
    stop = quit_on_signals(app)
    session = signed_in or sign_in_dialog(settings, server_url)
    if session is None or stop.requested:
        return 0
    window = open_supervisor_window(session)
    show_until_closed(app, window)
    log_out(session)  # a bounded wait: an unreachable server never keeps the app open
    return 0
