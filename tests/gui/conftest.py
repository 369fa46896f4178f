"""GUI tests run offscreen against a real server; settings go to a scratch file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from counter_app.views.settings import AppSettings


@pytest.fixture
def app_settings(tmp_path: Path) -> Iterator[AppSettings]:
    yield AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
