"""A test's windows are gone when the next test starts (tests/gui/conftest.py).

pytest-qt only closes them and asks for a later deletion, which used to happen inside the
next test's wait, with the window's thread pool. The two tests run in this order.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QMainWindow, QPushButton
from pytestqt.qtbot import QtBot

from counter_app.views.tasks import TaskRunner
from tests.gui.waits import WAIT_MS

left_behind: list[QMainWindow] = []


class Window(QMainWindow):
    """Like the app's windows: a background runner, a button bound to one of its methods."""

    def __init__(self) -> None:
        super().__init__()
        self.runner = TaskRunner(self)
        self.button = QPushButton(self)
        self.button.clicked.connect(lambda _checked=False: self.refresh())  # keeps it alive
        self.done: list[object] = []

    def refresh(self) -> None:
        self.runner.run(lambda: "fetched", self.done.append, self.done.append)


def test_a_window_with_a_finished_job(qtbot: QtBot) -> None:
    window = Window()
    qtbot.addWidget(window)
    window.show()
    window.button.click()
    qtbot.waitUntil(lambda: window.done == ["fetched"], timeout=WAIT_MS)
    left_behind.append(window)


def test_the_last_tests_window_is_deleted() -> None:
    assert len(left_behind) == 1
    assert not shiboken6.isValid(left_behind.pop())
