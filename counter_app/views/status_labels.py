"""The status labels over the staff windows (counter, supervisor): a red banner while the
server cannot be reached, and a notice with the answer to the last action, hidden again after
a while. Both start hidden; the windows show them. Also the windows' one-second tick."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from counter_app.views.plain import plain_label

BANNER_STYLE = "background:#b71c1c;color:white;padding:8px;font-weight:bold;font-size:16px;"
NOTICE_MS = 6000  # how long a notice stays


def offline_banner(text: str) -> QLabel:
    """``offline_banner``: ``text`` (the window's own words) in white on red."""
    banner = plain_label(text)
    banner.setObjectName("offline_banner")
    banner.setStyleSheet(BANNER_STYLE)
    banner.setVisible(False)
    return banner


def notice_label(style: str) -> QLabel:
    """``notice``: empty, wrapping its text, in the window's ``style``."""
    notice = plain_label("")
    notice.setObjectName("notice")
    notice.setStyleSheet(style)
    notice.setWordWrap(True)
    notice.setVisible(False)
    return notice


def notice_timer(parent: QObject, notice: QLabel) -> QTimer:
    """A timer that hides ``notice`` NOTICE_MS after each ``start()``. Owned by ``parent``,
    so it dies with it (a bare single-shot would outlive it)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(NOTICE_MS)
    timer.timeout.connect(lambda: notice.setVisible(False))
    return timer


def every_second(parent: QObject, slot: Callable[[], None]) -> QTimer:
    """A running timer, owned by ``parent``, that calls ``slot`` once a second."""
    timer = QTimer(parent)
    timer.setInterval(1000)
    timer.timeout.connect(slot)
    timer.start()
    return timer
