"""Online booking on the wire: slots, bookings, cancelling, checking in at the kiosk."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from counter_app.core.booking import BookingState, DayClosed
from counter_app.schemas.base import AwareIsoDatetime, Request, Response

# Loose limits here; the real checks (core.nik) give the precise, translatable errors.
Text40 = Annotated[str, StringConstraints(max_length=40)]


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
    nik: Text40
    name: Annotated[str, StringConstraints(max_length=200)]
    phone: Annotated[str, StringConstraints(max_length=30)]


class BookingOut(Response):
    """What a citizen sees of a booking: the name masked, four digits of the NIK, no phone."""

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
    name_masked: str
    nik_last4: str
    ticket_code: str | None  # after check-in: the ticket's status page is /t/<ticket_code>
    created_at: datetime


class BookingCreated(BookingOut):
    # Shown once: lets this browser cancel without typing the NIK again. Only its hash is kept.
    cancel_token: str


class CancelBookingRequest(Request):
    """Prove the booking is yours: the NIK it was made with, or the token from its creation."""

    nik: Text40 | None = None
    cancel_token: Annotated[str, StringConstraints(max_length=100)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> CancelBookingRequest:
        if (self.nik is None) == (self.cancel_token is None):
            raise ValueError("give exactly one of nik or cancel_token")
        return self


class CheckInRequest(Request):
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
