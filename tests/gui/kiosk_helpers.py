"""Opening a kiosk window for a test, the way ``counter-app kiosk`` does once connected."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from counter_app.client.api import ApiClient
from counter_app.hardware.printer import PrinterSettings
from counter_app.views.kiosk.controller import KioskSetup, connect
from counter_app.views.kiosk.run import open_kiosk_window
from counter_app.views.kiosk.settings import KioskSettings
from counter_app.views.kiosk.window import KioskWindow
from tests.gui.waits import WAIT_MS

PUBLIC_URL = "http://192.168.1.10:8750"


def kiosk_settings(tmp_path: Path, printer: PrinterSettings | None = None) -> KioskSettings:
    settings = KioskSettings(QSettings(str(tmp_path / "kiosk.ini"), QSettings.Format.IniFormat))
    settings.public_base_url = PUBLIC_URL
    if printer is not None:
        settings.set_printer(printer)
    return settings


def kiosk_window(
    qtbot: QtBot,
    url: str,
    token: str,
    settings: KioskSettings,
    setup: KioskSetup | None = None,
    *,
    start: bool = True,
) -> KioskWindow:
    client = ApiClient(url, token, retries=0)
    window = open_kiosk_window(client, setup or connect(client), settings, fullscreen=False)
    if not start:
        window.controller.stop()
    qtbot.addWidget(window, before_close_func=lambda w: w.shut_down())
    window.show()
    if start:
        qtbot.waitUntil(lambda: window.controller.board is not None, timeout=WAIT_MS)
    return window
