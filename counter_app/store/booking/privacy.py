"""A citizen's personal data in bookings: kept only as long as needed, shown to the citizen,
erased on request (UU PDP 27/2022; docs/PRIVACY.md).

* ``anonymise_expired``: ``retention_days`` after its slot a closed booking loses its name,
  NIK hash, NIK digits and phone (run by the sweeper), one ``booking.anonymised`` journal event
  per branch and round listing the booking ids (nothing personal).
* ``export_nik``: everything held about a NIK (its bookings, their tickets, survey answers).
* ``erase_nik``: cancels a NIK's bookings still to come and anonymises all of them, journaled.

A booking is found by its NIK's hash under each NIK key still kept; an anonymised booking has
no hash, so it is no longer anyone's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import BookingState
from counter_app.core.nik import Nik, NikKeys
from counter_app.core.numbering import format_number
from counter_app.core.vocabulary import EventKind
from counter_app.store import journal
from counter_app.store.booking.slots import give_back_place
from counter_app.store.booking.wire import record_booking_event
from counter_app.store.models import Booking, Branch, Counter, Service, SurveyResponse, Ticket

BATCH = 500  # bookings anonymised per branch and sweep round at most
SURVEY_ANSWERS = tuple(f"u{i}" for i in range(1, 10))
# What anonymising empties. The slot, service, state and times stay: they count in reports.
PERSONAL_COLUMNS: dict[str, Any] = {
    "name": None,
    "nik_hash": None,
    "nik_key_id": None,
    "nik_last4": None,
    "phone": None,
}


def _anonymise(session: Session, ids: list[int], now: datetime) -> None:
    session.execute(
        update(Booking)
        .where(Booking.id.in_(ids))
        .values(**PERSONAL_COLUMNS, anonymised_at=now)
        .execution_options(synchronize_session=False)
    )


def _record_anonymised(
    session: Session, branch_id: int, ids: list[int], reason: str, actor: Actor, now: datetime
) -> None:
    journal.record(
        session,
        branch_id=branch_id,
        kind=EventKind.BOOKING_ANONYMISED,
        at=now,
        actor=actor,
        data={"bookings": {"ids": ids, "reason": reason}},
    )


def anonymise_expired(
    session: Session, branch: Branch, now: datetime, retention_days: int, actor: Actor
) -> int:
    """Closed bookings of the branch whose slot ended ``retention_days`` ago lose their
    personal data; journaled as one event. Returns how many."""
    ids = list(
        session.scalars(
            select(Booking.id)
            .where(
                Booking.anonymised_at.is_(None),
                Booking.slot_start < now - timedelta(days=retention_days),
                Booking.branch_id == branch.id,
                Booking.state != BookingState.BOOKED.value,
            )
            .order_by(Booking.slot_start, Booking.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return 0
    _anonymise(session, ids, now)
    _record_anonymised(session, branch.id, ids, "retention", actor, now)
    return len(ids)


def _of_nik(nik: Nik, keys: NikKeys) -> Select[Booking]:
    digests = keys.digests(nik)
    return (
        select(Booking)
        .where(Booking.nik_hash.in_(list(digests.values())))
        .order_by(Booking.slot_start, Booking.id)
    )


def _chain(session: Session, first_id: int) -> list[Ticket]:
    """A ticket and the tickets it was transferred on to, in order."""
    tickets = []
    ticket = session.get(Ticket, first_id)
    while ticket is not None:
        tickets.append(ticket)
        ticket = session.scalars(
            select(Ticket).where(Ticket.transferred_from_id == ticket.id).limit(1)
        ).one_or_none()
    return tickets


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _ticket_record(session: Session, ticket: Ticket) -> dict[str, Any]:
    service = session.get(Service, ticket.service_id)
    counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    return {
        "code": ticket.code,
        "number": format_number(ticket.prefix, ticket.number),
        "service": service.name if service else None,
        "state": ticket.state,
        "issued_at": _iso(ticket.issued_at),
        "called_at": _iso(ticket.called_at),
        "closed_at": _iso(ticket.closed_at),
        "counter": counter.name if counter else None,
        "note": ticket.note,
    }


def _survey_record(session: Session, ticket_id: int) -> dict[str, Any] | None:
    answer = session.scalars(
        select(SurveyResponse).where(SurveyResponse.ticket_id == ticket_id)
    ).one_or_none()
    if answer is None:
        return None
    return {
        "submitted_at": _iso(answer.submitted_at),
        "channel": answer.channel,
        "answers": {u: getattr(answer, u) for u in SURVEY_ANSWERS},
    }


def export_nik(session: Session, nik: Nik, keys: NikKeys) -> dict[str, Any]:
    """Everything held about the NIK, as plain JSON values."""
    bookings = []
    for booking in session.scalars(_of_nik(nik, keys)):
        branch = session.get(Branch, booking.branch_id)
        service = session.get(Service, booking.service_id)
        tickets = _chain(session, booking.ticket_id) if booking.ticket_id else []
        bookings.append(
            {
                "code": booking.code,
                "state": booking.state,
                "office": branch.name if branch else None,
                "service": service.name if service else None,
                "slot_start": _iso(booking.slot_start),
                "slot_end": _iso(booking.slot_end),
                "name": booking.name,
                "nik_last4": booking.nik_last4,
                "phone": booking.phone,
                "created_at": _iso(booking.created_at),
                "closed_at": _iso(booking.closed_at),
                "tickets": [_ticket_record(session, t) for t in tickets],
                "survey": _survey_record(session, booking.ticket_id) if booking.ticket_id else None,
            }
        )
    return {"nik_last4": nik.last4, "bookings": bookings}


def erase_nik(
    session: Session, nik: Nik, keys: NikKeys, actor: Actor, now: datetime
) -> dict[str, Any]:
    """Cancel the NIK's bookings still to come, then anonymise all its bookings and empty the
    notes of their tickets; journaled. Returns what was done (booking codes, no names)."""
    found = list(session.scalars(_of_nik(nik, keys).with_for_update()))
    cancelled: list[Booking] = []
    for booking in found:
        if booking.state == BookingState.BOOKED.value:
            booking.state = BookingState.CANCELLED.value
            booking.closed_at = now
            give_back_place(session, booking.service_id, booking.slot_start)
            cancelled.append(booking)
    notes = 0
    for booking in found:
        for ticket in _chain(session, booking.ticket_id) if booking.ticket_id else []:
            if ticket.note:
                ticket.note = ""
                notes += 1
    session.flush()
    ids_by_branch: dict[int, list[int]] = defaultdict(list)
    for booking in found:
        ids_by_branch[booking.branch_id].append(booking.id)
    report = {
        "bookings_anonymised": [b.code for b in found],
        "bookings_cancelled": [b.code for b in cancelled],
        "ticket_notes_emptied": notes,
    }
    if not found:
        return report
    _anonymise(session, [b.id for b in found], now)
    for booking in cancelled:
        record_booking_event(session, booking, EventKind.BOOKING_CANCELLED, actor, now)
    for branch_id, ids in ids_by_branch.items():
        _record_anonymised(session, branch_id, ids, "erasure", actor, now)
    return report
