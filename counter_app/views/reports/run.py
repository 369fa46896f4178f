"""``counter-app reports``: a supervisor or admin signs in and reads the office's reports."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QDialog

from counter_app.client.api import ApiClient
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import Role
from counter_app.views.app import ensure_app
from counter_app.views.counter.login import LoginDialog
from counter_app.views.counter.run import log_out
from counter_app.views.counter.session import OfficerSession
from counter_app.views.reports.window import ReportsWindow
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals

READERS = (Role.SUPERVISOR, Role.ADMIN)


def sign_in_for_reports(
    server_url: str, username: str, password: str, branch_id: int | None = None
) -> OfficerSession:
    """Sign in; only a supervisor or an admin goes on. The branch is ``branch_id``, else the
    account's own, else (an admin of the whole organisation) the first branch."""
    client = ApiClient(server_url.strip())
    user = client.login(username.strip(), password).user
    if user.role not in READERS:
        client.logout()
        raise AppError(ErrorCode.REPORTS_FORBIDDEN, "Reports are for supervisors and admins.")
    branch = branch_id or user.branch_id
    if branch is None:
        branches = client.list_branches()
        if not branches:
            raise AppError(ErrorCode.NO_BRANCH, "There is no branch yet.")
        branch = min(b.id for b in branches)
    return OfficerSession(client, user, branch, counters=[])


def run_reports(server_url: str | None = None, branch_id: int | None = None) -> int:
    settings = AppSettings()
    app = ensure_app(settings)
    stop = quit_on_signals(app)
    translate = QCoreApplication.translate
    login = LoginDialog(
        settings,
        server_url,
        sign_in_with=lambda url, user, password: sign_in_for_reports(
            url, user, password, branch_id
        ),
        window_title=translate("ReportsLogin", "Reports — sign in"),
        heading=translate("ReportsLogin", "Sign in as a supervisor or admin"),
    )
    if login.exec() != QDialog.DialogCode.Accepted or login.session is None:
        return 0
    session = login.session
    window = ReportsWindow(session.client, session.branch_id)
    loop = QEventLoop()
    app.lastWindowClosed.connect(loop.quit)
    window.show()
    if not stop.requested:
        loop.exec()
    log_out(session)
    return 0
