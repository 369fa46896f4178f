"""Online booking: public slots, booking and cancelling; check-in at the kiosk; the admin's
booking settings and holidays."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from counter_app.core.vocabulary import Role
from counter_app.schemas.booking import (
    BookingCreate,
    BookingCreated,
    BookingOut,
    BookingsCancelled,
    CancelBookingRequest,
    CancelBookingsRequest,
    CheckInRequest,
    SlotsOut,
)
from counter_app.schemas.office import BookingSettings, HolidayCreate, HolidayOut, ServiceOut
from counter_app.schemas.tickets import TicketOut
from counter_app.server import booking_flow
from counter_app.server.api.public import check_rate
from counter_app.server.context import ActorDep, ServicesDep, WriterDep
from counter_app.server.responses import JsonResponse
from counter_app.store.booking import bulk_cancel, holidays, lifecycle, settings, slots

router = APIRouter(prefix="/api/v1", tags=["booking"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Code = Annotated[str, Path(min_length=1, max_length=40)]


@router.get(
    "/public/services/{service_id}/slots", operation_id="list_slots", response_model=SlotsOut
)
def list_slots(
    service_id: Id,
    request: Request,
    svc: ServicesDep,
    date: Annotated[dt.date | None, Query(description="one day only (branch-local)")] = None,
) -> SlotsOut:
    """The booking window's days with their slots and the places left in each. No login."""
    check_rate(request)
    with svc.db.read() as session:
        return slots.list_slots(session, service_id, svc.clock(), date)


@router.post(
    "/public/bookings",
    operation_id="create_booking",
    status_code=201,
    response_model=BookingCreated,
)
def create_booking(body: BookingCreate, request: Request, svc: ServicesDep) -> Response:
    """Book a place in a slot with NIK and name. The answer holds the booking
    code (its QR is the code itself) and, once, a token that can cancel it."""
    return JsonResponse.of(booking_flow.create(svc, request, body), 201)


@router.get("/public/bookings/{code}", operation_id="get_booking", response_model=BookingOut)
def get_booking(code: Code, request: Request, svc: ServicesDep) -> BookingOut:
    """A booking's state and slot. The personal parts (masked name, the NIK's last four
    digits) are null here: the code alone does not prove the booking is the asker's."""
    check_rate(request)
    with svc.db.read() as session:
        return lifecycle.get_booking(session, code)


@router.post(
    "/public/bookings/{code}/cancel", operation_id="cancel_booking", response_model=BookingOut
)
def cancel_booking(
    code: Code, body: CancelBookingRequest, request: Request, svc: ServicesDep
) -> BookingOut:
    """Cancel with the NIK the booking was made with, or the token from its creation."""
    return booking_flow.cancel(svc, request, code, nik=body.nik, cancel_token=body.cancel_token)


@router.post(
    "/bookings/check-in",
    operation_id="check_in_booking",
    status_code=201,
    response_model=TicketOut,
)
async def check_in_booking(body: CheckInRequest, writer: WriterDep) -> Response:
    """At the kiosk: turn a booking code into a waiting ticket (source ``online``, appointment
    at the slot's start), within the service's check-in window."""
    return await writer.run(
        lambda s, now: lifecycle.check_in(s, body.code, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.post(
    "/branches/{branch_id}/bookings/cancel",
    operation_id="cancel_bookings",
    response_model=BookingsCancelled,
)
async def cancel_bookings(
    branch_id: Id, body: CancelBookingsRequest, writer: WriterDep
) -> Response:
    """A supervisor cancels a run of suspicious bookings at once: by ``codes``, or every
    booking still booked made from ``from_network`` (an address block such as
    ``10.0.0.0/24``) between ``since`` and ``until``. Their places are freed."""
    writer.actor.require_role(Role.SUPERVISOR)
    writer.actor.require_branch(branch_id)
    network = None if body.from_network is None else bulk_cancel.parse_network(body.from_network)

    def cancel(session: Session, now: dt.datetime) -> BookingsCancelled:
        if network is None:
            found = bulk_cancel.find_by_codes(session, branch_id, body.codes or [])
        else:
            assert body.since is not None
            found = bulk_cancel.find_by_network(session, branch_id, network, body.since, body.until)
        cancelled, skipped = bulk_cancel.cancel_all(session, found, writer.actor, now)
        return BookingsCancelled(cancelled=cancelled, skipped=skipped)

    return await writer.run(cancel, request_body=body)


# --- admin --------------------------------------------------------------------------------


@router.put(
    "/services/{service_id}/booking",
    operation_id="set_service_booking",
    response_model=ServiceOut,
)
async def set_service_booking(service_id: Id, body: BookingSettings, writer: WriterDep) -> Response:
    """Turn online booking on or off for a service and set its slots and check-in window."""
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: settings.set_booking_settings(s, service_id, body, writer.actor, now),
        request_body=body,
    )


@router.get(
    "/branches/{branch_id}/holidays", operation_id="list_holidays", response_model=list[HolidayOut]
)
def list_holidays(branch_id: Id, actor: ActorDep, svc: ServicesDep) -> list[HolidayOut]:
    actor.require_branch(branch_id)
    with svc.db.read() as session:
        return holidays.list_holidays(session, branch_id)


@router.post(
    "/branches/{branch_id}/holidays",
    operation_id="create_holiday",
    status_code=201,
    response_model=HolidayOut,
)
async def create_holiday(branch_id: Id, body: HolidayCreate, writer: WriterDep) -> Response:
    """A day the branch is closed (no booking slots), whatever its opening hours say."""
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: holidays.add_holiday(s, branch_id, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.delete(
    "/branches/{branch_id}/holidays/{day}",
    operation_id="delete_holiday",
    response_model=HolidayOut,
)
async def delete_holiday(branch_id: Id, day: dt.date, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: holidays.remove_holiday(s, branch_id, day, writer.actor, now)
    )
