"""The "MODE LATIHAN" band: the counter window and the TV show it while the branch (or the
counter shown) trains, and hide it when training ends."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.views.display.run import open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.counter_helpers import WAIT_MS, counter_window
from tests.gui.test_display import second_screen
from tests.support.queue_ops import ok


def set_training(running: Running, on: bool, counter_id: int | None = None) -> None:
    sup = running.login("supervisor")
    body: dict[str, object] = {"on": on}
    if counter_id is not None:
        body["counter_id"] = counter_id
    ok(sup.post(f"/api/v1/branches/{running.office.branch_id}/training", body))


def test_the_counter_window_shows_training_and_hides_it_after(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    assert not window.simulation.isVisible()
    set_training(running_sqlite, True, running_sqlite.office.counters[1])
    qtbot.waitUntil(window.simulation.isVisible, timeout=WAIT_MS)
    assert "TRAINING" in window.simulation.text()
    assert "SIMULATION" not in window.simulation.text()
    set_training(running_sqlite, False, running_sqlite.office.counters[1])
    qtbot.waitUntil(lambda: not window.simulation.isVisible(), timeout=WAIT_MS)


def test_the_tv_shows_the_training_band(
    qtbot: QtBot, qapp: QApplication, running_sqlite: Running, display_settings: DisplaySettings
) -> None:
    shown = open_display(
        running_sqlite.server.url,
        running_sqlite.office.display_token,
        display_settings,
        screen=second_screen(qapp),
    )
    try:
        set_training(running_sqlite, True)
        qtbot.waitUntil(shown.window.simulation.isVisible, timeout=WAIT_MS)
        assert "TRAINING" in shown.window.simulation.text()
        set_training(running_sqlite, False)
        qtbot.waitUntil(lambda: not shown.window.simulation.isVisible(), timeout=WAIT_MS)
    finally:
        shown.close()
