"""GUI tests run offscreen against a real server; settings go to a scratch file.

The offscreen platform is given two screens (a laptop panel and an HDMI TV,
``two_screens.json``), so the TV window's screen placement is tested for real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings

# Before pytest-qt makes the QApplication (importing PySide6 does not make one).
SCREENS = os.path.join(os.path.dirname(__file__), "two_screens.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"


@pytest.fixture
def app_settings(tmp_path: Path) -> Iterator[AppSettings]:
    yield AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def display_settings(app_settings: AppSettings) -> DisplaySettings:
    settings = DisplaySettings(app_settings.qt)
    settings.announce = False  # the tests that speak choose their own player
    return settings
