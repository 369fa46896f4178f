"""Online booking, the pure parts: booking codes, slots from opening hours, check-in windows.

* **Slots.** A service that takes bookings cuts each open day of its branch into slots of
  ``slot_minutes`` from the opening time; a slot must end by closing time. Days are the
  branch's local dates; a day is bookable from today up to ``window_days`` ahead, unless the
  branch is closed that weekday or it is a holiday. A slot can be booked until it starts.
* **Check-in.** A booking is checked in at the kiosk from ``check_in_before`` minutes before
  its slot until ``check_in_after`` minutes after the slot's start; after that it is a no-show.
* **Codes.** Ten characters from an alphabet without look-alikes: never 0, O, 1, I or L, and
  at most one of each confusable pair or group (0/O/Q/D, 1/I/L/7, 2/Z, 5/S, 8/B, 6/G, 9/G,
  U/V), so a code read aloud or typed from a phone is hard to get wrong. 20^10 ≈ 1.0 × 10^13
  codes: too many to find a booking by guessing (docs/PRIVACY.md has the arithmetic). Codes
  of six characters, given out before, stay valid.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

BOOKING_CODE_ALPHABET = "34679ACEFHJKMNPRTWXY"
BOOKING_CODE_LENGTH = 10
# The length of codes given out before: they are still looked up and checked in.
LEGACY_BOOKING_CODE_LENGTH = 6
BOOKING_CODE_LENGTHS = (LEGACY_BOOKING_CODE_LENGTH, BOOKING_CODE_LENGTH)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class BookingState(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# A NIK may hold one booking per service per day in these states.
ACTIVE_STATES = (BookingState.BOOKED, BookingState.CHECKED_IN)


class DayClosed(StrEnum):
    CLOSED = "closed"  # the branch does not open on this weekday
    HOLIDAY = "holiday"
    OUTSIDE_WINDOW = "outside_window"  # in the past, or further ahead than the window


class CheckIn(StrEnum):
    OK = "ok"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"


@dataclass(frozen=True, slots=True)
class BookingRules:
    enabled: bool = False
    slot_minutes: int = 30
    capacity: int = 4
    window_days: int = 14
    check_in_before: int = 30  # minutes before the slot starts
    check_in_after: int = 15  # minutes after the slot starts

    def __post_init__(self) -> None:
        if self.slot_minutes < 5 or self.capacity < 1 or self.window_days < 0:
            raise ValueError("slot_minutes >= 5, capacity >= 1, window_days >= 0")
        if self.check_in_before < 0 or self.check_in_after < 0:
            raise ValueError("check-in minutes cannot be negative")


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # aware UTC
    end: datetime


def online_places(capacity: int, share_percent: int) -> int:
    """The places of a slot the hub books online when the branch is linked to one (its share
    in percent, rounded down); the branch books the rest itself (docs/HUB.md)."""
    return capacity * max(0, min(100, share_percent)) // 100


def new_booking_code() -> str:
    return "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _ in range(BOOKING_CODE_LENGTH))


def normalise_booking_code(text: str) -> str | None:
    """``" k7m3x-a9cex "`` → ``"K7M3XA9CEX"``; ``None`` if it cannot be a booking code at all
    (ten characters, or six for a code given out before codes grew)."""
    code = "".join((text or "").split()).upper().replace("-", "")
    if len(code) not in BOOKING_CODE_LENGTHS or any(c not in BOOKING_CODE_ALPHABET for c in code):
        return None
    return code


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def opening_of(day: date, opening_hours: Mapping[str, Sequence[str]]) -> tuple[time, time] | None:
    """The opening and closing time on ``day``, or ``None`` if the branch is closed then."""
    hours = opening_hours.get(WEEKDAYS[day.weekday()])
    if not hours or len(hours) != 2:
        return None
    opens, closes = _hhmm(hours[0]), _hhmm(hours[1])
    return (opens, closes) if opens < closes else None


def bookable_days(today: date, rules: BookingRules) -> list[date]:
    """Every date from today to ``window_days`` ahead (closed days included; see day_closed)."""
    return [today + timedelta(days=n) for n in range(rules.window_days + 1)]


def day_closed(
    day: date,
    today: date,
    rules: BookingRules,
    opening_hours: Mapping[str, Sequence[str]],
    holidays: Collection[date],
) -> DayClosed | None:
    """Why nobody can book on ``day``, or ``None`` if it is open for booking."""
    if day < today or day > today + timedelta(days=rules.window_days):
        return DayClosed.OUTSIDE_WINDOW
    if day in holidays:
        return DayClosed.HOLIDAY
    if opening_of(day, opening_hours) is None:
        return DayClosed.CLOSED
    return None


def day_slots(
    day: date, opening_hours: Mapping[str, Sequence[str]], zone: str, slot_minutes: int
) -> list[Slot]:
    """The day's slots (UTC) from opening time, each ending by closing time."""
    hours = opening_of(day, opening_hours)
    if hours is None:
        return []
    tz = ZoneInfo(zone)
    start = datetime.combine(day, hours[0], tz)
    closes = datetime.combine(day, hours[1], tz)
    step = timedelta(minutes=slot_minutes)
    slots = []
    while start + step <= closes:
        slots.append(Slot(start.astimezone(UTC), (start + step).astimezone(UTC)))
        start += step
    return slots


def slot_bookable(slot_start: datetime, now: datetime) -> bool:
    """A slot can be booked until it starts."""
    return slot_start > now


def check_in_window(slot_start: datetime, rules: BookingRules) -> tuple[datetime, datetime]:
    return (
        slot_start - timedelta(minutes=rules.check_in_before),
        slot_start + timedelta(minutes=rules.check_in_after),
    )


def check_in_verdict(slot_start: datetime, now: datetime, rules: BookingRules) -> CheckIn:
    opens, closes = check_in_window(slot_start, rules)
    if now < opens:
        return CheckIn.TOO_EARLY
    if now > closes:
        return CheckIn.TOO_LATE
    return CheckIn.OK


def is_no_show(slot_start: datetime, now: datetime, rules: BookingRules) -> bool:
    return check_in_verdict(slot_start, now, rules) is CheckIn.TOO_LATE
