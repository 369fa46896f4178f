"""The "SIMULASI" band: on the counter window and the TV when their server runs on a
simulation clock, and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.server.sim_clock import SimulationClock
from counter_app.views.display.run import open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings
from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.gui.counter_helpers import WAIT_MS, counter_window
from tests.gui.test_display import second_screen
from tests.support.http import Api
from tests.support.live_server import run_server


@pytest.fixture
def simulated(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> Iterator[Running]:
    clock = SimulationClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), speed=0)
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), simulation=clock) as server:
        yield Running(server, sqlite_office_template.office, Api(server.url))


def test_the_counter_window_shows_the_band_only_in_a_simulation(
    qtbot: QtBot, simulated: Running, running_sqlite: Running, app_settings: AppSettings
) -> None:
    window = counter_window(qtbot, simulated.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(window.simulation.isVisible, timeout=WAIT_MS)
    assert "SIMULATION" in window.simulation.text()
    real = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    assert real.isVisible()
    assert not real.simulation.isVisible()


def test_the_tv_shows_the_band_in_a_simulation(
    qtbot: QtBot, qapp: QApplication, simulated: Running, display_settings: DisplaySettings
) -> None:
    shown = open_display(
        simulated.server.url,
        simulated.office.display_token,
        display_settings,
        screen=second_screen(qapp),
    )
    try:
        qtbot.waitUntil(shown.window.simulation.isVisible, timeout=WAIT_MS)
    finally:
        shown.close()
