"""``demo`` tiles its five windows side by side: none covers another on a 1920×1080 screen."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from counter_app.views.demo import demo_tiles, place_demo_windows
from counter_app.views.display.run import OpenDisplay, open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings
from counter_app.views.survey.window import SurveyWindow
from tests.gui.counter_helpers import counter_window
from tests.gui.kiosk_helpers import kiosk_settings, kiosk_window
from tests.gui.supervisor_helpers import Office, office, supervisor_window
from tests.gui.waits import WAIT_MS

__all__ = ["office"]  # the fixture, used by name
FULL_HD = "HDMI-TV"  # tests/gui/two_screens.json
NAMES = {"kiosk_window", "counter_window", "survey_window", "display_window", "supervisor_window"}


def test_the_tiles_cover_the_screen_without_overlap() -> None:
    room = QRect(0, 0, 1920, 1080)
    tiles = demo_tiles(room)
    assert set(tiles) == NAMES
    assert all(room.contains(tile) for tile in tiles.values())
    assert not any(a.intersects(b) for a, b in combinations(tiles.values(), 2))
    assert sum(t.width() * t.height() for t in tiles.values()) == 1920 * 1080


@pytest.fixture
def tv(
    qapp: QApplication, office: Office, display_settings: DisplaySettings
) -> Iterator[OpenDisplay]:
    running = office.running
    shown = open_display(
        running.server.url, running.office.display_token, display_settings, windowed=True
    )
    yield shown
    shown.close()


def test_the_five_windows_sit_side_by_side_on_a_full_hd_screen(
    qtbot: QtBot,
    qapp: QApplication,
    office: Office,
    app_settings: AppSettings,
    tv: OpenDisplay,
    tmp_path: Path,
) -> None:
    running = office.running
    url = running.server.url
    survey = SurveyWindow()
    qtbot.addWidget(survey)
    survey.show()
    windows: list[QWidget] = [
        kiosk_window(qtbot, url, running.office.kiosk_token, kiosk_settings(tmp_path)),
        counter_window(qtbot, url, "petugas1", 1, app_settings),
        survey,
        tv.window,
        supervisor_window(qtbot, url),
    ]
    assert {w.objectName() for w in windows} == NAMES
    screen = next(s for s in qapp.screens() if s.name() == FULL_HD)
    room = screen.availableGeometry()
    assert (room.width(), room.height()) == (1920, 1080)
    place_demo_windows(windows, room)
    tiles = demo_tiles(room)

    def placed() -> bool:
        return all(w.frameGeometry() == tiles[w.objectName()] for w in windows)

    qtbot.waitUntil(placed, timeout=WAIT_MS)  # no window is bigger than its tile
    frames = [w.frameGeometry() for w in windows]
    assert not any(a.intersects(b) for a, b in combinations(frames, 2))
