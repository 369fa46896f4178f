"""A background read the counter window makes on its own (today's totals) that the server
refuses is told to the officer, in their language, not dropped."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.conftest import UseLanguage
from tests.gui.counter_helpers import WAIT_MS, counter_window

TOTALS_REFUSED_ID = "Jumlah hari ini tidak dapat dimuat: Silakan masuk terlebih dahulu."


def test_refused_totals_are_told_to_the_officer(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings, use_language: UseLanguage
) -> None:
    use_language("id")
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(lambda: window.controller.today is not None, timeout=WAIT_MS)
    window.controller.client.logout()  # signed out elsewhere: the server now says no
    window.controller.refresh_today()
    qtbot.waitUntil(
        lambda: window.notice.isVisible() and window.notice.text() == TOTALS_REFUSED_ID,
        timeout=WAIT_MS,
    )
