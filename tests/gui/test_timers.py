"""``later``: a delayed call owned by an object never runs once that object is deleted."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from counter_app.views.timers import later

DELAY_MS = 50
GRACE_MS = 300  # well past DELAY_MS: a call still due would have run by then


def test_it_runs_once_when_its_owner_lives(qtbot: QtBot) -> None:
    owner = QObject()
    calls: list[str] = []
    later(owner, DELAY_MS, lambda: calls.append("ran"))
    qtbot.waitUntil(lambda: bool(calls), timeout=GRACE_MS * 10)
    qtbot.wait(GRACE_MS)
    assert calls == ["ran"]


def test_it_does_not_run_after_its_owner_is_deleted(qtbot: QtBot) -> None:
    label = QLabel("notice")
    calls: list[str] = []
    # What the windows did: a lambda that touches the widget, due after the widget has gone.
    later(label, DELAY_MS, lambda: calls.append(label.text()))
    shiboken6.delete(label)
    qtbot.wait(GRACE_MS)
    assert calls == []


def test_it_does_not_run_after_a_deferred_delete(qtbot: QtBot) -> None:
    """``deleteLater`` is how a closed window usually goes."""
    owner = QObject()
    calls: list[str] = []
    later(owner, DELAY_MS, lambda: calls.append("ran"))
    owner.deleteLater()
    qtbot.wait(GRACE_MS)
    assert calls == []
    assert not shiboken6.isValid(owner)
