"""The Qt binding itself must be sound for a window that runs all day.

PySide6 6.12.0 on Python 3.11 gives back ``None`` from every method that returns nothing
without counting the reference (harmless from Python 3.12 on, where ``None`` is immortal).
Each such call (``setText``, ``setEnabled``, ``addItem``…) lowers the count of ``None`` by
one, and after some tens of thousands of calls — a few hours of a busy counter window, a few
seconds of its benchmark — the process aborts with "Fatal Python error: none_dealloc".
PySide6 6.11.3 is sound. If this fails: require a PySide6 other than 6.12.0 (pyproject.toml)
or run on Python 3.12 or newer.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QApplication, QLabel

CALLS = 2000


def test_calls_to_qt_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("A-001")
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} lost {lost} "
        f"references to None in {CALLS} calls: the app would abort after some hours"
    )
