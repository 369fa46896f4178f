"""GUI tests run offscreen against a real server; settings go to a scratch file.

The offscreen platform is given two screens (a laptop panel and an HDMI TV,
``two_screens.json``), so the TV window's screen placement is tested for real.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from counter_app.views.display.settings import DisplaySettings
from counter_app.views.i18n import install_language, translations_dir
from counter_app.views.settings import AppSettings
from counter_app.views.tasks import TaskRunner
from tests.gui.waits import WAIT_MS

# Before pytest-qt makes the QApplication (importing PySide6 does not make one).
SCREENS = os.path.join(os.path.dirname(__file__), "two_screens.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"


@pytest.fixture(autouse=True)
def windows_gone_with_their_test(qapp: QApplication) -> Iterator[None]:
    """A test's windows are destroyed when the test ends, once their background jobs ended.

    pytest-qt closes a test's widgets and asks for their deletion (deleteLater), but nothing
    carries it out until a later event loop, i.e. inside the next test's waitSignal or
    waitUntil: a window was torn down, thread pool and all, in the middle of another test's
    wait, where a stuck job cannot be interrupted. Here every job is given a bounded time to
    end (the test fails otherwise), then the closed windows are deleted at once.
    """
    yield
    busy = [
        runner
        for widget in qapp.topLevelWidgets()
        for runner in widget.findChildren(TaskRunner)
        if not runner.wait(WAIT_MS)
    ]
    assert not busy, f"{len(busy)} window(s) still had a background job after {WAIT_MS} ms"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def app_settings(tmp_path: Path) -> Iterator[AppSettings]:
    yield AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def display_settings(app_settings: AppSettings) -> DisplaySettings:
    settings = DisplaySettings(app_settings.qt)
    settings.announce = False  # the tests that speak choose their own player
    return settings


UseLanguage = Callable[[str], None]


@pytest.fixture
def use_language(qapp: QApplication) -> Iterator[UseLanguage]:
    """Install a language as a fresh start would; the test process gets English back after."""
    assert (translations_dir() / "counter_app_id.qm").is_file(), (
        "the Indonesian catalogue is not compiled: run scripts/build_translations.py"
    )
    before = QLocale()
    installed: list[QTranslator] = []

    def use(language: str) -> None:
        while installed:
            qapp.removeTranslator(installed.pop())
        translator = install_language(qapp, language)
        if translator is not None:
            installed.append(translator)

    yield use
    use("en")
    QLocale.setDefault(before)
