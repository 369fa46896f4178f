"""``counter-app kiosk``: connect with the device token, then the kiosk window, fullscreen.

The server address and the device token are remembered (``KioskSettings``). The first start,
or a token the server refuses, opens a short set-up dialog; a fullscreen kiosk also needs an
admin PIN before it locks the screen. A server that cannot be reached yet (the kiosk booted
first) is retried quietly until it answers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLineEdit, QVBoxLayout

from counter_app.client.api import ApiClient
from counter_app.client.discovery import browse
from counter_app.client.errors import ApiError, ClientError
from counter_app.schemas.devices import PairingClaimOut
from counter_app.views.app import ensure_app
from counter_app.views.counter.dialogs import ok_cancel
from counter_app.views.find_server import Browse, Claim, FindServerBox, claim_with_api
from counter_app.views.kiosk.controller import KioskController, KioskSetup, connect
from counter_app.views.kiosk.printing import KioskPrinter
from counter_app.views.kiosk.settings import MIN_PIN_LENGTH, KioskSettings
from counter_app.views.kiosk.window import KioskWindow
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals
from counter_app.views.tasks import TaskRunner
from counter_app.views.timers import later

log = logging.getLogger(__name__)
CONNECT_RETRY_MS = 3000


class KioskSetupDialog(QDialog):
    """Server address, device token and (for a locked kiosk) the admin PIN."""

    def __init__(
        self,
        settings: KioskSettings,
        need_pin: bool,
        problem: str = "",
        *,
        browse_servers: Browse | None = None,
        claim: Claim = claim_with_api,
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk_setup")
        self.setWindowTitle(self.tr("Kiosk — set-up"))
        self.settings = settings
        self.need_pin = need_pin
        self.server = QLineEdit(settings.server_url)
        self.server.setObjectName("server")
        self.token = QLineEdit(settings.device_token)
        self.token.setObjectName("device_token")
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = plain_label(problem)
        self.error.setObjectName("setup_error")
        self.error.setStyleSheet("color:#b71c1c;font-weight:bold;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Device token"), self.token)
        if need_pin:
            form.addRow(self.tr("Admin PIN (digits)"), self.pin)
        layout = QVBoxLayout(self)
        self.finder: FindServerBox | None = None
        if browse_servers is not None:
            # Find the server and pair with a supervisor's code: fills in both fields below.
            self.finder = FindServerBox(
                settings.server_url, browse_servers=browse_servers, claim=claim
            )
            self.finder.paired.connect(self._paired)
            layout.addWidget(self.finder)
            self.finder.start_search()
        layout.addWidget(
            plain_label(self.tr("Or type the server and the device token the admin made."))
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.tr("Start the kiosk"), self.save))
        self.setMinimumWidth(480)

    def _paired(self, server_url: str, answer: PairingClaimOut) -> None:
        self.server.setText(server_url)
        self.token.setText(answer.token)
        (self.pin if self.need_pin else self.token).setFocus()

    def save(self) -> None:
        if not self.server.text().strip() or not self.token.text().strip():
            self.error.setText(self.tr("Fill in the server and the device token."))
            return
        pin = self.pin.text()
        if self.need_pin and (len(pin) < MIN_PIN_LENGTH or not pin.isdigit()):
            self.error.setText(
                self.tr("The PIN needs at least {n} digits.").format(n=MIN_PIN_LENGTH)
            )
            return
        if self.need_pin:
            self.settings.set_pin(pin)
        self.settings.server_url = self.server.text()
        self.settings.device_token = self.token.text()
        self.settings.qt.sync()
        self.accept()


def connect_kiosk(server_url: str, token: str) -> tuple[ApiClient, KioskSetup] | Exception:
    """Blocking, on the Qt thread's event loop: until it connects or the server says no."""
    client = ApiClient(server_url, token)
    outcome: list[KioskSetup | Exception] = []
    loop = QEventLoop()
    runner = TaskRunner()

    def attempt() -> None:
        runner.run(lambda: connect(client), finished, finished)

    def finished(result: KioskSetup | Exception) -> None:
        if isinstance(result, ClientError) and not isinstance(result, ApiError):
            log.warning("kiosk: server %s not reachable yet; retrying", server_url)
            later(loop, CONNECT_RETRY_MS, attempt)
            return
        outcome.append(result)
        loop.quit()

    app = QApplication.instance()
    if app is not None:
        quit_on_signals(app).quit_requested.connect(loop.quit)  # type: ignore[arg-type]
    attempt()
    loop.exec()
    if not outcome:
        return RuntimeError("stopped")
    result = outcome[0]
    return result if isinstance(result, Exception) else (client, result)


def open_kiosk_window(
    client: ApiClient, setup: KioskSetup, settings: KioskSettings, *, fullscreen: bool
) -> KioskWindow:
    controller = KioskController(client, setup)
    printer = KioskPrinter(settings.printer())
    window = KioskWindow(controller, printer, settings, fullscreen=fullscreen)
    controller.setParent(window)
    printer.setParent(window)
    controller.start()
    return window


def show_kiosk(window: KioskWindow, fullscreen: bool) -> None:
    if not fullscreen:
        window.show()
        return
    screens = QGuiApplication.screens()
    if screens:
        window.setScreen(screens[0])
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    window.showFullScreen()


def run_kiosk(
    server_url: str | None = None, token: str | None = None, *, fullscreen: bool = True
) -> int:
    prefs = AppSettings()
    settings = KioskSettings(prefs)
    app = ensure_app(prefs)
    stop = quit_on_signals(app)
    if server_url:
        settings.server_url = server_url
    if token:
        settings.device_token = token
    problem = ""
    while not stop.requested:
        if problem or not settings.device_token or (fullscreen and not settings.has_pin):
            dialog = KioskSetupDialog(
                settings, fullscreen and not settings.has_pin, problem, browse_servers=browse
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
        result = connect_kiosk(settings.server_url, settings.device_token)
        if isinstance(result, Exception):
            if stop.requested:
                return 0
            problem = describe(result)
            continue
        window = open_kiosk_window(*result, settings, fullscreen=fullscreen)
        stop.quit_requested.connect(window.shut_down)
        show_kiosk(window, fullscreen)
        return app.exec()
    return 0
