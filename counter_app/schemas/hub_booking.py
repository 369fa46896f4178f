"""Booking from home through the hub: the wire between a branch and its hub (docs/HUB.md).

Up: the branch's booking set-up (``BookingSetup``: bookable services, slot rules, opening
hours, holidays and the share of each slot the hub books online). Down: the hub's bookings of
that branch as a feed of changes (``HubBookingFeed``), numbered per branch without gaps and in
commit order, which the branch pulls after its cursor.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from counter_app.core.booking import BookingState
from counter_app.schemas.base import AwareIsoDatetime, ByValue, IsoDate, Request, Response

Hhmm = Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]


class SetupService(Request):
    """A service that takes online bookings, with its slot rules (core.booking.BookingRules)."""

    id: int = Field(ge=1)
    prefix: str = Field(min_length=1, max_length=10)
    name: str = Field(min_length=1, max_length=200)
    position: int = 0
    slot_minutes: int = Field(ge=5, le=240)
    capacity: int = Field(ge=1, le=1000)
    window_days: int = Field(ge=0, le=90)
    check_in_before: int = Field(ge=0, le=240)
    check_in_after: int = Field(ge=0, le=240)


class SetupHoliday(Request):
    day: IsoDate
    name: str = Field(default="", max_length=200)


class SetupSlotCount(Request):
    """The branch's own bookings of one slot, sent where they pass what its share leaves it
    (after the share was raised): the hub then books only what is really left there."""

    service_id: int = Field(ge=1)
    slot_start: AwareIsoDatetime
    booked: int = Field(ge=1, le=1000)


class BookingSetup(Request):
    """What the hub needs to offer a branch's slots: sent by the branch when it changes."""

    code: str = Field(pattern=r"^[a-z0-9_\-]{1,32}$")
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=300)
    timezone: str = Field(min_length=1, max_length=64)
    opening_hours: dict[str, list[Hhmm]]
    # Percent of each slot's capacity the hub books online; the branch books the rest.
    online_share: int = Field(ge=0, le=100)
    services: list[SetupService] = Field(max_length=200)
    holidays: list[SetupHoliday] = Field(max_length=2000)
    # Slots (of the booking window) where the branch's own bookings pass capacity minus the
    # online places; usually none.
    branch_booked: list[SetupSlotCount] = Field(default_factory=list, max_length=100_000)


class SetupResult(Response):
    branch_id: int
    services: int


class HubBookingChange(Response):
    """One change of a hub booking: ``created``, or ``cancelled`` (its state then). Nothing
    of the NIK but its last four digits; the name, which the counter serving the citizen
    sees on the branch (as for a booking made there)."""

    seq: int
    kind: Literal["created", "cancelled"]
    hub_id: int
    code: str
    state: Annotated[BookingState, ByValue]
    service_id: int
    slot_start: datetime
    slot_end: datetime
    slot_day: date
    name: str | None
    nik_last4: str | None
    created_at: datetime
    closed_at: datetime | None


class HubBookingFeed(Response):
    """The changes after the asked-for cursor, oldest first; ``head``: the latest there is."""

    changes: list[HubBookingChange]
    head: int
