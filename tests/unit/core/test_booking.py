"""Booking codes, slots from opening hours and holidays, and the check-in window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from counter_app.core.booking import (
    BOOKING_CODE_ALPHABET,
    BOOKING_CODE_LENGTH,
    BookingRules,
    CheckIn,
    DayClosed,
    bookable_days,
    check_in_verdict,
    check_in_window,
    day_closed,
    day_slots,
    is_no_show,
    new_booking_code,
    normalise_booking_code,
    online_places,
    slot_bookable,
)

HOURS = {"mon": ["08:00", "15:00"], "fri": ["08:00", "11:30"], "sat": ["09:00", "09:20"]}
MONDAY = date(2026, 3, 2)


def test_code_alphabet_has_no_look_alikes() -> None:
    assert not set(BOOKING_CODE_ALPHABET) & set("0O1IL")
    for group in ("0OQD", "1IL7", "2Z", "5S", "8B", "6G", "UV", "9G"):
        assert len(set(group) & set(BOOKING_CODE_ALPHABET)) <= 1, group
    assert len(set(BOOKING_CODE_ALPHABET)) == len(BOOKING_CODE_ALPHABET) == 20
    codes = {new_booking_code() for _ in range(2000)}
    assert all(
        len(c) == BOOKING_CODE_LENGTH and set(c) <= set(BOOKING_CODE_ALPHABET) for c in codes
    )
    assert len(codes) > 1990  # random, not a sequence


def test_codes_are_read_back_leniently_but_never_guessed() -> None:
    assert normalise_booking_code("  k7m3xa9cex\n") == "K7M3XA9CEX"
    assert normalise_booking_code("K7M3X-A9CEX") == "K7M3XA9CEX"
    assert normalise_booking_code("K 7 M 3 X A 9 C E X") == "K7M3XA9CEX"
    # Six-character codes given out before codes grew stay valid.
    assert normalise_booking_code("  k7m3xa\n") == "K7M3XA"
    assert normalise_booking_code("K7M-3XA") == "K7M3XA"
    for bad in ("", "K7M3X", "K7M3XAA", "K7M3XA9CE", "K7M3XA9CEXA", "K0M3XA", "KOM3XA9CEX"):
        assert normalise_booking_code(bad) is None, bad


def test_the_code_space_is_too_large_to_find_bookings_by_guessing() -> None:
    """docs/PRIVACY.md: one client address at the public pages' limit (5 a second) for a
    whole 14-day booking window, against 10,000 live bookings, finds one with odds of about
    1 in 170 (six characters: about 950 bookings found)."""
    guesses = 5 * 14 * 86_400
    live = 10_000
    space = len(BOOKING_CODE_ALPHABET) ** BOOKING_CODE_LENGTH
    assert BOOKING_CODE_LENGTH == 10 and space > 10**13
    assert guesses * live / space < 0.01
    assert guesses * live / len(BOOKING_CODE_ALPHABET) ** 6 > 900


def test_slots_from_opening_hours_in_the_branch_zone() -> None:
    slots = day_slots(MONDAY, HOURS, "Asia/Jakarta", 30)
    assert len(slots) == 14
    assert (slots[0].start, slots[0].end) == (
        datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
    )
    assert slots[-1].end == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 15:00 WIB
    # Jayapura (WIT) opens two hours earlier in UTC terms.
    assert day_slots(MONDAY, HOURS, "Asia/Jayapura", 30)[0].start == datetime(
        2026, 3, 1, 23, 0, tzinfo=UTC
    )
    # A slot must end by closing time: 08:00–11:30 in 45-minute slots gives four, not five.
    friday = day_slots(date(2026, 3, 6), HOURS, "Asia/Jakarta", 45)
    assert len(friday) == 4 and friday[-1].end == datetime(2026, 3, 6, 4, 0, tzinfo=UTC)
    assert day_slots(date(2026, 3, 7), HOURS, "Asia/Jakarta", 30) == []  # 20 minutes open
    assert day_slots(date(2026, 3, 3), HOURS, "Asia/Jakarta", 30) == []  # Tuesday: closed
    assert day_slots(MONDAY, {"mon": ["15:00", "08:00"]}, "Asia/Jakarta", 30) == []


def test_which_days_can_be_booked() -> None:
    rules = BookingRules(enabled=True, window_days=7)
    holidays = {date(2026, 3, 9)}
    days = bookable_days(MONDAY, rules)
    assert (days[0], days[-1], len(days)) == (MONDAY, date(2026, 3, 9), 8)
    verdicts = {d: day_closed(d, MONDAY, rules, HOURS, holidays) for d in days}
    assert verdicts[MONDAY] is None
    assert verdicts[date(2026, 3, 3)] is DayClosed.CLOSED
    assert verdicts[date(2026, 3, 6)] is None
    assert verdicts[date(2026, 3, 9)] is DayClosed.HOLIDAY
    assert day_closed(date(2026, 3, 1), MONDAY, rules, HOURS, set()) is DayClosed.OUTSIDE_WINDOW
    assert day_closed(date(2026, 3, 16), MONDAY, rules, HOURS, set()) is DayClosed.OUTSIDE_WINDOW
    assert bookable_days(MONDAY, BookingRules(window_days=0)) == [MONDAY]


def test_check_in_window() -> None:
    rules = BookingRules(enabled=True, check_in_before=30, check_in_after=15)
    start = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    opens, closes = check_in_window(start, rules)
    assert (opens, closes) == (start - timedelta(minutes=30), start + timedelta(minutes=15))
    second = timedelta(seconds=1)
    assert check_in_verdict(start, opens - second, rules) is CheckIn.TOO_EARLY
    assert check_in_verdict(start, opens, rules) is CheckIn.OK
    assert check_in_verdict(start, closes, rules) is CheckIn.OK
    assert check_in_verdict(start, closes + second, rules) is CheckIn.TOO_LATE
    assert not is_no_show(start, closes, rules) and is_no_show(start, closes + second, rules)
    assert slot_bookable(start, start - second) and not slot_bookable(start, start)


def test_rules_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        BookingRules(slot_minutes=0)
    with pytest.raises(ValueError):
        BookingRules(capacity=0)
    with pytest.raises(ValueError):
        BookingRules(check_in_after=-1)


@pytest.mark.parametrize(
    ("capacity", "share", "online"),
    [(4, 50, 2), (5, 50, 2), (1, 50, 0), (10, 0, 0), (10, 100, 10), (7, 30, 2), (3, 150, 3)],
)
def test_online_share_rounds_down_and_the_branch_keeps_the_rest(
    capacity: int, share: int, online: int
) -> None:
    assert online_places(capacity, share) == online
    assert 0 <= capacity - online_places(capacity, share) <= capacity
