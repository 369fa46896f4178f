"""The kiosk's admin PIN resists guessing: six digits or more, stored as an argon2 hash, and
locked for five minutes after five wrong tries — a lock that survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from counter_app.views.kiosk.admin import PinDialog
from counter_app.views.kiosk.settings import PIN_LOCK_SECONDS, PIN_TRIES, KioskSettings

PIN = "482916"


def _settings(path: Path, now: list[float]) -> KioskSettings:
    return KioskSettings(
        QSettings(str(path / "kiosk.ini"), QSettings.Format.IniFormat), clock=lambda: now[0]
    )


def test_a_pin_needs_six_digits_and_is_kept_only_as_a_hash(tmp_path: Path) -> None:
    settings = _settings(tmp_path, [0.0])
    for short in ("1234", "12345", "12a456", ""):
        with pytest.raises(ValueError):
            settings.set_pin(short)
    settings.set_pin(PIN)
    settings.qt.sync()
    text = (tmp_path / "kiosk.ini").read_text(encoding="utf-8")
    assert PIN not in text and "$argon2id$" in text


def test_five_wrong_pins_lock_the_admin_side_even_after_a_restart(
    qtbot: QtBot, tmp_path: Path
) -> None:
    now = [1_000_000.0]
    settings = _settings(tmp_path, now)
    settings.set_pin(PIN)
    dialog = PinDialog(settings)
    qtbot.addWidget(dialog)
    for attempt in range(PIN_TRIES):
        dialog.field.setText(f"00000{attempt}")
        dialog.check()
    assert dialog.result() != PinDialog.DialogCode.Accepted
    assert dialog.error.text() == "Too many wrong PINs. Try again in 5 minutes."

    restarted = _settings(tmp_path, now)  # the kiosk PC restarted: the lock holds
    assert restarted.pin_locked_seconds() == PIN_LOCK_SECONDS
    again = PinDialog(restarted)
    qtbot.addWidget(again)
    again.field.setText(PIN)
    again.check()
    assert again.result() != PinDialog.DialogCode.Accepted, "even the right PIN waits"
    assert "Try again in 5 minutes" in again.error.text()

    now[0] += PIN_LOCK_SECONDS
    again.field.setText(PIN)
    again.check()
    assert again.result() == PinDialog.DialogCode.Accepted


def test_a_clock_set_back_does_not_stretch_the_lock(tmp_path: Path) -> None:
    now = [1_000_000.0]
    settings = _settings(tmp_path, now)
    settings.set_pin(PIN)
    for _ in range(PIN_TRIES):
        assert not settings.check_pin("111111")
    now[0] -= 10 * 365 * 86400
    assert settings.pin_locked_seconds() == PIN_LOCK_SECONDS
    now[0] += PIN_LOCK_SECONDS
    assert settings.check_pin(PIN)


def test_a_right_pin_clears_the_count(tmp_path: Path) -> None:
    settings = _settings(tmp_path, [0.0])
    settings.set_pin(PIN)
    for _ in range(PIN_TRIES - 1):
        assert not settings.check_pin("111111")
    assert settings.check_pin(PIN)
    for _ in range(PIN_TRIES - 1):
        assert not settings.check_pin("111111")
    assert settings.pin_locked_seconds() == 0
