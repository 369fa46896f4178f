"""Indonesian (id-ID) names of days, months and time zones, and the date and clock forms the
web pages and the printed ticket use: ``Senin, 2 Juni 2025``, ``Senin, 2 Jun``, ``14.05``,
``WIB``. Pure (the standard library's time zone data only)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
# Indonesia's three zones as people say them (WIB, WITA, WIT).
ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def long_date(day: date) -> str:
    """``Senin, 2 Juni 2025``."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """``Senin, 2 Jun``: no year, the month cut to three letters."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1][:3]}"


def local_date(moment: datetime, zone: str) -> date:
    """The day an aware moment falls on in ``zone``."""
    return moment.astimezone(ZoneInfo(zone)).date()


def clock(moment: datetime, zone: str) -> str:
    """``14.05``: the hour and minute of an aware moment in ``zone`` (Indonesian: a dot)."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%H.%M")


def zone_abbreviation(zone: str) -> str | None:
    """``WIB``, ``WITA`` or ``WIT`` for Indonesia's zones; None for any other."""
    return ZONE_ABBREVIATIONS.get(zone)
