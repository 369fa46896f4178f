"""``counter-app counter``: sign in, choose a counter, work at it."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QDialog

from counter_app.client.errors import ClientError
from counter_app.views.app import ensure_app
from counter_app.views.counter.controller import CounterController
from counter_app.views.counter.login import CounterPicker, LoginDialog
from counter_app.views.counter.session import OfficerSession
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings


def open_counter_window(
    session: OfficerSession, counter_id: int, settings: AppSettings
) -> CounterWindow:
    controller = CounterController(session.client, session.branch_id, counter_id)
    window = CounterWindow(controller, session.user, settings)
    controller.start()
    return window


def run_counter(server_url: str | None = None) -> int:
    settings = AppSettings()
    app = ensure_app(settings)
    login = LoginDialog(settings, server_url)
    if login.exec() != QDialog.DialogCode.Accepted or login.session is None:
        return 0
    session = login.session
    picker = CounterPicker(session)
    if picker.exec() != QDialog.DialogCode.Accepted or picker.counter is None:
        with contextlib.suppress(ClientError):
            session.client.logout()
        return 0
    window = open_counter_window(session, picker.counter.id, settings)
    window.show()
    code = app.exec()
    with contextlib.suppress(ClientError):
        session.client.logout()
    return int(code)
