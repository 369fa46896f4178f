"""Online booking on the wire: slots, bookings, cancelling, checking in at the kiosk."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from counter_app.core.booking import BookingState, DayClosed
from counter_app.schemas.base import AwareIsoDatetime, Request, Response, exactly_one_of

# Loose limits here; the real checks (core.nik) give the precise, translatable errors.
Text40 = Annotated[str, StringConstraints(max_length=40)]
# What the OpenAPI document states of a NIK: 16 digits, spaces, dots or dashes between them
# allowed. Stated, not enforced here: core.nik checks it (and the province code, the date of
# birth and the serial) with precise, translatable messages.
NIK_PATTERN = r"^[ .\-]*(?:[0-9][ .\-]*){16}$"
Nik = Annotated[
    str,
    StringConstraints(max_length=40),
    Field(
        json_schema_extra={
            "pattern": NIK_PATTERN,
            "description": "16-digit NIK; province code, birth date and serial are checked.",
        }
    ),
]


class SlotOut(Response):
    start: datetime
    end: datetime
    capacity: int
    booked: int
    remaining: int


class DayOut(Response):
    date: date
    closed: DayClosed | None  # why nobody can book this day, if so
    holiday_name: str | None = None
    slots: list[SlotOut]  # slots not yet started, in time order
    remaining: int  # places left on the day


class SlotsOut(Response):
    branch_id: int
    branch_name: str
    service_id: int
    service_name: str
    timezone: str
    today: date
    window_days: int
    slot_minutes: int
    days: list[DayOut]


class BookingCreate(Request):
    service_id: int = Field(ge=1, le=2**31 - 1)
    slot_start: AwareIsoDatetime
    nik: Nik
    name: Annotated[str, StringConstraints(max_length=200)]
    # No phone number: nothing uses it, so it is not collected (docs/PRIVACY.md).


class BookingOut(Response):
    """What a citizen sees of a booking. The personal parts — the name masked, four digits of
    the NIK — only for whom proved the booking theirs (its creation, its token or its NIK);
    ``null`` for anyone else who has the code, and once the booking has been anonymised."""

    code: str
    state: BookingState
    branch_id: int
    branch_name: str
    service_id: int
    service_name: str
    slot_start: datetime
    slot_end: datetime
    check_in_opens: datetime
    check_in_closes: datetime
    name_masked: str | None
    nik_last4: str | None
    ticket_code: str | None  # after check-in: the ticket's status page is /t/<ticket_code>
    created_at: datetime


class BookingCreated(BookingOut):
    # Shown once: lets this browser cancel without typing the NIK again. Only its hash is kept.
    cancel_token: str


class CancelBookingRequest(Request):
    """Prove the booking is yours: the NIK it was made with, or the token from its creation."""

    model_config = ConfigDict(json_schema_extra=exactly_one_of("nik", "cancel_token"))

    nik: Nik | None = None
    cancel_token: Annotated[str, StringConstraints(max_length=100)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> CancelBookingRequest:
        if (self.nik is None) == (self.cancel_token is None):
            raise ValueError("give exactly one of nik or cancel_token")
        return self


class CheckInRequest(Request):
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]


BookingCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class CancelBookingsRequest(Request):
    """Cancel a run of bookings (a supervisor): give ``codes``, or ``from_network`` (an
    address block such as ``10.0.0.0/24``, or a wider network) with ``since`` (and
    optionally ``until``): every booking still booked that was made from there then."""

    model_config = ConfigDict(json_schema_extra=exactly_one_of("codes", "from_network"))

    codes: list[BookingCode] | None = Field(default=None, min_length=1, max_length=1000)
    from_network: Annotated[str, StringConstraints(min_length=2, max_length=64)] | None = None
    since: AwareIsoDatetime | None = None
    until: AwareIsoDatetime | None = None

    @model_validator(mode="after")
    def _one_of(self) -> CancelBookingsRequest:
        if (self.codes is None) == (self.from_network is None):
            raise ValueError("give exactly one of codes or from_network")
        if self.from_network is not None and self.since is None:
            raise ValueError("from_network needs since")
        return self


class BookingsCancelled(Response):
    cancelled: list[str]  # codes cancelled now
    skipped: list[str]  # codes found but no longer booked (checked in, cancelled, expired)
