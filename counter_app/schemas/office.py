"""Office set-up: branches, services, counters, priority classes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from counter_app.core.numbering import INDONESIAN_ZONES, PREFIX_PATTERN
from counter_app.core.policy import MultiServiceRule
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.base import AsArray, ByValue, IsoDate, Request, Response

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Prefix = Annotated[str, StringConstraints(pattern=PREFIX_PATTERN.pattern)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]{1,32}$")]
HourMinute = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Weekday = Annotated[str, StringConstraints(pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$")]
Zone = Annotated[str, StringConstraints(pattern=rf"^({'|'.join(INDONESIAN_ZONES)})$")]
OpeningHours = Annotated[tuple[HourMinute, HourMinute], AsArray]  # [opens, closes]


class BookingSettings(Request):
    """A service's online booking (core.booking.BookingRules)."""

    enabled: bool = False
    slot_minutes: int = Field(default=30, ge=5, le=240)
    capacity: int = Field(default=4, ge=1, le=1000)  # places per slot
    window_days: int = Field(default=14, ge=0, le=90)  # bookable from today to this many ahead
    check_in_before: int = Field(default=30, ge=0, le=240)  # minutes before the slot starts
    check_in_after: int = Field(default=15, ge=0, le=240)  # minutes after the slot starts


class BookingSettingsOut(Response):
    enabled: bool
    slot_minutes: int
    capacity: int
    window_days: int
    check_in_before: int
    check_in_after: int


class HolidayCreate(Request):
    day: IsoDate
    name: Annotated[str, StringConstraints(max_length=200)] = ""


class HolidayOut(Response):
    id: int
    branch_id: int
    day: date
    name: str


class BranchCreate(Request):
    code: Code
    name: Name
    timezone: Zone = "Asia/Jakarta"
    address: Annotated[str, StringConstraints(max_length=300)] = ""
    priority_run: int = Field(default=2, ge=1, le=20)
    regular_run: int = Field(default=3, ge=1, le=20)
    multi_service_rule: Annotated[MultiServiceRule, ByValue] = MultiServiceRule.LONGEST_WAIT
    appointment_early_minutes: int = Field(default=15, ge=0, le=240)
    opening_hours: dict[Weekday, Annotated[tuple[HourMinute, HourMinute], AsArray]] = Field(
        default_factory=dict
    )


class BranchOut(Response):
    id: int
    code: str
    name: str
    timezone: str
    address: str
    priority_run: int
    regular_run: int
    multi_service_rule: MultiServiceRule
    appointment_early_minutes: int
    opening_hours: dict[str, list[str]]
    running_text: str
    # Training mode for the whole branch (docs/TRAINING.md): windows show the band.
    training: bool = False


class ServiceCreate(Request):
    branch_id: int = Field(ge=1, le=2**31 - 1)
    prefix: Prefix
    name: Name
    position: int = Field(default=0, ge=0, le=1000)
    default_service_seconds: int = Field(default=300, ge=10, le=4 * 3600)
    target_wait_minutes: int = Field(default=30, ge=1, le=24 * 60)
    no_show_recall_minutes: int = Field(default=30, ge=0, le=24 * 60)
    daily_quota: int | None = Field(default=None, ge=1, le=100_000)
    booking: BookingSettings = Field(default_factory=BookingSettings)


class ServiceOut(Response):
    id: int
    branch_id: int
    prefix: str
    name: str
    active: bool
    position: int
    default_service_seconds: int
    target_wait_minutes: int
    no_show_recall_minutes: int = 30
    daily_quota: int | None
    booking: BookingSettingsOut


class CounterCreate(Request):
    branch_id: int = Field(ge=1, le=2**31 - 1)
    number: int = Field(ge=1, le=999)
    name: Annotated[str, StringConstraints(max_length=100)] = ""
    service_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        min_length=1, max_length=50
    )


class CounterOut(Response):
    id: int
    branch_id: int
    number: int
    name: str
    state: CounterState
    break_reason: str
    officer_id: int | None
    officer_name: str | None = None
    service_ids: list[int]
    current_ticket_id: int | None = None
    # This counter trains (docs/TRAINING.md): it calls training tickets only.
    training: bool = False


class CounterStateRequest(Request):
    state: Annotated[CounterState, ByValue]
    reason: Annotated[str, StringConstraints(max_length=200)] = ""


class PriorityClassCreate(Request):
    branch_id: int = Field(ge=1, le=2**31 - 1)
    code: Code
    name: Name


class PriorityClassOut(Response):
    id: int
    branch_id: int
    code: str
    name: str
    active: bool


class RunningTextRequest(Request):
    text: Annotated[str, StringConstraints(max_length=500)]


class CounterToday(Response):
    """A counter's own figures for the current service day."""

    counter_id: int
    service_day: str
    served: int
    no_show: int
    transferred: int
    average_service_seconds: int | None
