"""A kiosk whose QR codes point at 127.0.0.1 tells the staff (admin screen) and the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from counter_app.views.kiosk.admin import AdminDialog
from counter_app.views.kiosk.controller import KioskSetup
from counter_app.views.kiosk.window import KioskWindow
from tests.gui.kiosk_helpers import kiosk_settings, kiosk_window

SETUP = KioskSetup(branch_id=1, device_id=1, priority_classes=[])
LOOPBACK = "http://127.0.0.1:8750"


def admin_warning(qtbot: QtBot, window: KioskWindow) -> str:
    """Open the admin screen (no PIN set, windowed), read its warning, close it."""
    seen: list[str] = []

    def read() -> None:
        dialog = window.dialog
        assert isinstance(dialog, AdminDialog)
        seen.append(dialog.warning.text() if dialog.warning.isVisibleTo(dialog) else "")
        dialog.reject()

    QTimer.singleShot(0, read)
    window.open_admin()
    assert seen
    return seen[0]


def test_a_loopback_qr_address_is_said_on_the_admin_screen_and_logged_once(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="counter_app.views.kiosk.window")
    settings = kiosk_settings(tmp_path)
    settings.public_base_url = ""
    settings.server_url = LOOPBACK  # the QR address falls back to the server's
    first = kiosk_window(qtbot, LOOPBACK, "token", settings, SETUP, start=False)
    kiosk_window(qtbot, LOOPBACK, "token", settings, SETUP, start=False)
    warnings = [r for r in caplog.records if "phones cannot reach" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    text = admin_warning(qtbot, first)
    assert "127.0.0.1" in text and "Address for the QR code" in text


def test_a_lan_qr_address_raises_nothing(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="counter_app.views.kiosk.window")
    window = kiosk_window(qtbot, LOOPBACK, "token", kiosk_settings(tmp_path), SETUP, start=False)
    assert not [r for r in caplog.records if "phones cannot reach" in r.getMessage()]
    assert admin_warning(qtbot, window) == ""
