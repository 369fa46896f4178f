"""Indonesian dates, clock times and zone names (core.calendar_id)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from counter_app.core.calendar_id import (
    clock,
    local_date,
    long_date,
    short_date,
    zone_abbreviation,
)


def test_dates_in_indonesian() -> None:
    assert long_date(date(2025, 6, 2)) == "Senin, 2 Juni 2025"
    assert long_date(date(2026, 3, 8)) == "Minggu, 8 Maret 2026"
    assert short_date(date(2026, 3, 3)) == "Selasa, 3 Mar"
    assert short_date(date(2026, 12, 31)) == "Kamis, 31 Des"


def test_the_local_day_and_clock_follow_the_zone() -> None:
    moment = datetime(2026, 3, 2, 23, 5, tzinfo=UTC)  # 06.05 on the 3rd in Jakarta
    assert (local_date(moment, "Asia/Jakarta"), clock(moment, "Asia/Jakarta")) == (
        date(2026, 3, 3),
        "06.05",
    )
    assert clock(moment, "Asia/Jayapura") == "08.05"
    assert local_date(moment, "UTC") == date(2026, 3, 2)


def test_indonesias_zones_by_their_common_names() -> None:
    assert [zone_abbreviation(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")] == [
        "WIB",
        "WITA",
        "WIT",
    ]
    assert zone_abbreviation("Europe/Amsterdam") is None
