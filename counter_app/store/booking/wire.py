"""What a booking looks like on the wire, in the journal (nothing personal), and on a staff
member's ticket (the booked name)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import BookingRules, BookingState, check_in_window
from counter_app.core.nik import mask_name
from counter_app.core.vocabulary import EventKind, TicketSource
from counter_app.schemas.booking import BookingOut
from counter_app.schemas.tickets import CallNextResponse, TicketOut
from counter_app.store import journal
from counter_app.store.booking.settings import rules_of
from counter_app.store.models import Booking, Branch, Service, Ticket

Out = TypeVar("Out", bound=BookingOut)


def booking_out(session: Session, booking: Booking, *, personal: bool = True) -> BookingOut:
    """The booking on the wire; without its personal parts unless ``personal``."""
    service = session.get(Service, booking.service_id)
    branch = session.get(Branch, booking.branch_id)
    assert service is not None and branch is not None
    ticket_code = None
    if booking.ticket_id is not None:
        ticket_code = session.scalar(select(Ticket.code).where(Ticket.id == booking.ticket_id))
    out = booking_wire(
        booking, branch.name, service.name, rules_of(service), ticket_code, BookingOut
    )
    return out if personal else out.model_copy(update={"name_masked": None, "nik_last4": None})


def booking_wire(
    booking: Booking,
    branch_name: str,
    service_name: str,
    rules: BookingRules,
    ticket_code: str | None,
    kind: type[Out],
    **extra: Any,
) -> Out:
    """The booking as ``kind`` (``BookingOut`` or a subclass, with ``extra`` fields)."""
    opens, closes = check_in_window(booking.slot_start, rules)
    return kind(
        code=booking.code,
        state=BookingState(booking.state),
        branch_id=booking.branch_id,
        branch_name=branch_name,
        service_id=booking.service_id,
        service_name=service_name,
        slot_start=booking.slot_start,
        slot_end=booking.slot_end,
        check_in_opens=opens,
        check_in_closes=closes,
        name_masked=mask_name(booking.name) if booking.name else None,
        nik_last4=booking.nik_last4,
        ticket_code=ticket_code,
        created_at=booking.created_at,
        **extra,
    )


def _event_data(booking: Booking) -> dict[str, Any]:
    """What the journal (and so every display) learns of a booking: nothing personal. A
    booking made on the hub names the hub's id of it (its page there follows the journal)."""
    data: dict[str, Any] = {
        "id": booking.id,
        "service_id": booking.service_id,
        "slot_start": booking.slot_start.isoformat(),
        "state": booking.state,
    }
    if booking.hub_booking_id is not None:
        data["hub_id"] = booking.hub_booking_id
    return {"booking": data}


def record_booking_event(
    session: Session, booking: Booking, kind: EventKind, actor: Actor, now: datetime
) -> None:
    journal.record(
        session,
        branch_id=booking.branch_id,
        kind=kind,
        at=now,
        actor=actor,
        data=_event_data(booking),
    )


def booking_name(session: Session, ticket_code: str) -> str | None:
    """The full name on the booking a ticket came from (staff only; see TicketOut)."""
    return session.scalar(
        select(Booking.name)
        .join(Ticket, Ticket.id == Booking.ticket_id)
        .where(Ticket.code == ticket_code)
        .limit(1)
    )


def with_booking_name(session: Session, ticket: TicketOut) -> TicketOut:
    if ticket.source is not TicketSource.ONLINE:
        return ticket
    return ticket.model_copy(update={"booking_name": booking_name(session, ticket.code)})


def named_call(session: Session, answer: CallNextResponse) -> CallNextResponse:
    if answer.ticket is None:
        return answer
    return answer.model_copy(update={"ticket": with_booking_name(session, answer.ticket)})
