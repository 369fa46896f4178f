"""Small text formats shared by the windows (durations, times in the id-ID locale)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale


def duration(seconds: float | None) -> str:
    """``4:05`` for under an hour, ``1:02:03`` beyond; an em dash when unknown."""
    if seconds is None:
        return "—"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes_text(seconds: float | None) -> str:
    if seconds is None:
        return QCoreApplication.translate("Format", "no estimate")
    return QCoreApplication.translate("Format", "{n} min").format(n=max(0, round(seconds / 60)))


def clock_text(moment: datetime) -> str:
    """Local wall-clock time of an aware datetime, e.g. ``14.05`` in id-ID."""
    qt = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(qt.time(), QLocale.FormatType.ShortFormat)
