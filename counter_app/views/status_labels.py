"""The status labels over the staff windows (counter, supervisor): a red banner while the
server cannot be reached, and a notice with the answer to the last action. Both start hidden;
the windows show them."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from counter_app.views.plain import plain_label

BANNER_STYLE = "background:#b71c1c;color:white;padding:8px;font-weight:bold;font-size:16px;"


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
