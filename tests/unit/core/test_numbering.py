"""Service days in the three Indonesian zones, and ticket numbers as printed and typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.core.errors import AppError, ErrorKind
from counter_app.core.numbering import (
    check_prefix,
    check_zone,
    format_number,
    parse_number,
    service_day,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "last_second", "first_second"),
    [
        ("Asia/Jakarta", "2024-03-10T16:59:59", "2024-03-10T17:00:00"),  # WIB, UTC+7
        ("Asia/Makassar", "2024-03-10T15:59:59", "2024-03-10T16:00:00"),  # WITA, UTC+8
        ("Asia/Jayapura", "2024-03-10T14:59:59", "2024-03-10T15:00:00"),  # WIT, UTC+9
    ],
)
def test_service_day_turns_at_local_midnight(
    zone: str, last_second: str, first_second: str
) -> None:
    assert service_day(utc(last_second), zone) == date(2024, 3, 10)
    assert service_day(utc(first_second), zone) == date(2024, 3, 11)


def test_same_instant_is_a_different_day_in_jayapura() -> None:
    moment = utc("2024-03-10T15:30:00")  # 22:30 WIB, 23:30 WITA, 00:30 WIT
    assert service_day(moment, "Asia/Jakarta") == date(2024, 3, 10)
    assert service_day(moment, "Asia/Makassar") == date(2024, 3, 10)
    assert service_day(moment, "Asia/Jayapura") == date(2024, 3, 11)


def test_service_day_across_new_year() -> None:
    assert service_day(utc("2024-12-31T16:59:59"), "Asia/Jakarta") == date(2024, 12, 31)
    assert service_day(utc("2024-12-31T17:00:00"), "Asia/Jakarta") == date(2025, 1, 1)


def test_service_day_of_a_non_utc_aware_moment() -> None:
    wib = timezone(timedelta(hours=7))
    late_evening = datetime(2024, 3, 10, 23, 59, 59, tzinfo=wib)
    assert service_day(late_evening, "Asia/Jakarta") == date(2024, 3, 10)
    assert service_day(late_evening, "Asia/Jayapura") == date(2024, 3, 11)


def test_service_day_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        service_day(datetime(2024, 3, 10, 12, 0), "Asia/Jakarta")


@pytest.mark.parametrize(
    ("prefix", "number", "text"),
    [("A", 7, "A-007"), ("B", 123, "B-123"), ("AB", 1, "AB-001"), ("C", 1000, "C-1000")],
)
def test_format_number(prefix: str, number: int, text: str) -> None:
    assert format_number(prefix, number) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A-007", ("A", 7)),
        ("a7", ("A", 7)),
        ("A 007", ("A", 7)),
        ("  b-12  ", ("B", 12)),
        ("abc-0042", ("ABC", 42)),
        ("C-1000", ("C", 1000)),
        ("D--5", ("D", 5)),
    ],
)
def test_parse_number(text: str, expected: tuple[str, int]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "7", "007", "A", "A-", "-007", "ABCD-1", "A-1234567", "A-7x", "A.7", "A-7-1"],
)
def test_parse_number_rejects_bad_input(text: str) -> None:
    with pytest.raises(AppError) as caught:
        parse_number(text)
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.code == "bad_ticket_number"
    assert repr(text) in caught.value.message


@given(
    prefix=st.from_regex(r"[A-Z]{1,3}", fullmatch=True),
    number=st.integers(min_value=1, max_value=999_999),
)
def test_format_then_parse_round_trips(prefix: str, number: int) -> None:
    assert parse_number(format_number(prefix, number)) == (prefix, number)


@pytest.mark.parametrize("prefix", ["A", "ZZ", "ABC"])
def test_check_prefix_accepts(prefix: str) -> None:
    assert check_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["", "a", "ABCD", "A1", "A-", " A", "A\n", "É"])
def test_check_prefix_rejects(prefix: str) -> None:
    with pytest.raises(AppError) as caught:
        check_prefix(prefix)
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.code == "bad_prefix"


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_check_zone_accepts_the_three_indonesian_zones(zone: str) -> None:
    assert check_zone(zone) == zone


@pytest.mark.parametrize("zone", ["", "UTC", "asia/jakarta", "Asia/Singapore", "Asia/Pontianak"])
def test_check_zone_rejects_others(zone: str) -> None:
    with pytest.raises(AppError) as caught:
        check_zone(zone)
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.code == "bad_timezone"
    assert "Asia/Jakarta, Asia/Makassar, Asia/Jayapura" in caught.value.message
