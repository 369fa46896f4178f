"""A booking's life: booked, looked up, cancelled (by its NIK or token), checked in (a
waiting ticket); no-shows are ``expiry``'s."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, text, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import (
    ACTIVE_STATES,
    BookingState,
    CheckIn,
    DayClosed,
    Slot,
    check_in_verdict,
    check_in_window,
    day_closed,
    day_slots,
    new_booking_code,
    normalise_booking_code,
    slot_bookable,
)
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict, forbidden, invalid, not_found
from counter_app.core.nik import NikKeys, check_name, check_nik
from counter_app.core.numbering import service_day
from counter_app.core.vocabulary import EventKind, TicketSource
from counter_app.schemas.booking import BookingCreate, BookingCreated, BookingOut
from counter_app.schemas.tickets import TicketOut
from counter_app.store.booking.bookable import BookableService, bookable_cached
from counter_app.store.booking.settings import rules_of
from counter_app.store.booking.slots import give_back_place, take_place
from counter_app.store.booking.wire import booking_out, booking_wire, record_booking_event
from counter_app.store.models import Booking, Branch
from counter_app.store.office import get_service
from counter_app.store.tickets.issuing import create_ticket

CODE_ATTEMPTS = 20


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Built once (with bound parameters): building a statement anew costs more than running it.
# The states are written into the SQL, not bound: only then can SQLite see that the partial
# unique index (state IN ('booked', 'checked_in')) applies. Bound, it walked every active
# booking through the state index, slower with each booking made.
_ACTIVE_STATES_SQL = ", ".join(f"'{s.value}'" for s in ACTIVE_STATES)
_ACTIVE_FOR_NIK = select(Booking.code).where(
    Booking.service_id == bindparam("service_id"),
    Booking.slot_day == bindparam("day"),
    Booking.nik_hash == bindparam("nik_hash"),
    text(f"bookings.state IN ({_ACTIVE_STATES_SQL})"),
)
_CODE_TAKEN = select(Booking.id).where(Booking.code == bindparam("code"))
_BOOKINGS = cast(Table, Booking.__table__)
_INSERT_BOOKING = _BOOKINGS.insert().returning(_BOOKINGS.c.id)


def _unused_code(session: Session) -> str:
    for _ in range(CODE_ATTEMPTS):
        code = new_booking_code()
        if session.scalar(_CODE_TAKEN, {"code": code}) is None:
            return code
    raise AppError(ErrorCode.NO_CODE, "No free booking code; try again.")


def _open_slot(found: BookableService, slot_start: datetime, now: datetime) -> tuple[date, Slot]:
    """The slot starting at ``slot_start`` and its day, if a booking may take a place in it."""
    rules = found.rules
    today = service_day(now, found.timezone)
    day = service_day(slot_start, found.timezone)
    closed = day_closed(day, today, rules, found.opening_hours, found.holidays)
    if closed is DayClosed.OUTSIDE_WINDOW:
        raise conflict(
            ErrorCode.BOOKING_OUTSIDE_WINDOW,
            f"Bookings are taken from today up to {rules.window_days} days ahead.",
        )
    if closed is DayClosed.HOLIDAY:
        raise conflict(ErrorCode.BOOKING_HOLIDAY, f"{day} is a holiday: the office is closed.")
    if closed is DayClosed.CLOSED:
        raise conflict(ErrorCode.BOOKING_DAY_CLOSED, f"The office is closed on {day}.")
    slot = next(
        (
            s
            for s in day_slots(day, found.opening_hours, found.timezone, rules.slot_minutes)
            if s.start == slot_start
        ),
        None,
    )
    if slot is None:
        raise invalid(
            ErrorCode.BAD_SLOT, "slot_start is not the start of one of this service's slots."
        )
    if not slot_bookable(slot.start, now):
        raise conflict(ErrorCode.SLOT_STARTED, "This slot has already started; choose a later one.")
    return day, slot


def create_booking(
    session: Session, data: BookingCreate, nik_keys: NikKeys, actor: Actor, now: datetime
) -> BookingCreated:
    """Book a place in a slot. Checks the input first, then the slot, then takes the place."""
    nik = check_nik(data.nik)
    name = check_name(data.name)
    found = bookable_cached(session, data.service_id)
    day, slot = _open_slot(found, data.slot_start, now)
    nik_hash = nik.digest(nik_keys.current)
    # Under every key: after a rotation the NIK's earlier booking has its hash under an old one.
    existing = next(
        (
            code
            for digest in nik_keys.digests(nik).values()
            if (
                code := session.scalar(
                    _ACTIVE_FOR_NIK,
                    {"service_id": found.service_id, "day": day, "nik_hash": digest},
                )
            )
            is not None
        ),
        None,
    )
    if existing is not None:
        raise conflict(
            ErrorCode.BOOKING_EXISTS,
            "This NIK already has a booking for this service on that day.",
        )
    if take_place(session, found.service_id, slot.start) > found.capacity_here:
        raise conflict(ErrorCode.SLOT_FULL, "This slot is fully booked; choose another one.")
    token = secrets.token_urlsafe(24)
    values: dict[str, Any] = {
        "branch_id": found.branch_id,
        "service_id": found.service_id,
        "code": _unused_code(session),
        "state": BookingState.BOOKED.value,
        "slot_start": slot.start,
        "slot_end": slot.end,
        "slot_day": day,
        "nik_hash": nik_hash,
        "nik_key_id": nik_keys.current_id,
        "nik_last4": nik.last4,
        "name": name,
        "phone": None,
        "cancel_token_hash": _token_hash(token),
        "created_at": now,
        "closed_at": None,
        "ticket_id": None,
        "anonymised_at": None,
    }
    # A plain INSERT: the new row is not loaded back; the object below (never added to the
    # session) only carries its values to the journal event and the answer.
    booking = Booking(id=session.execute(_INSERT_BOOKING, values).scalar_one(), **values)
    record_booking_event(session, booking, EventKind.BOOKING_CREATED, actor, now)
    return booking_wire(
        booking,
        found.branch_name,
        found.service_name,
        found.rules,
        None,
        BookingCreated,
        cancel_token=token,
    )


def _find(session: Session, code_text: str, *, lock: bool = False) -> Booking:
    code = normalise_booking_code(code_text)
    if code is None:
        raise not_found(ErrorCode.BOOKING_NOT_FOUND, code_text.strip()[:20])
    query = select(Booking).where(Booking.code == code)
    if lock:
        query = query.with_for_update()
    booking = session.scalars(query).one_or_none()
    if booking is None:
        raise not_found(ErrorCode.BOOKING_NOT_FOUND, code)
    return booking


def get_booking(
    session: Session,
    code: str,
    *,
    nik_keys: NikKeys | None = None,
    cancel_token: str | None = None,
    nik: str | None = None,
) -> BookingOut:
    """The booking ``code``. Its personal parts only with a proof it is the asker's: the token
    from its creation (the page's cookie) or its NIK; a wrong NIK is ``not_your_booking``,
    a wrong or missing token just leaves them out."""
    booking = _find(session, code)
    if nik is not None:
        if nik_keys is None or not nik_keys.matches(
            check_nik(nik), booking.nik_hash, booking.nik_key_id
        ):
            raise forbidden("This NIK does not match the booking.", ErrorCode.NOT_YOUR_BOOKING)
        return booking_out(session, booking)
    return booking_out(session, booking, personal=_token_matches(booking, cancel_token))


def _token_matches(booking: Booking, cancel_token: str | None) -> bool:
    if not cancel_token:
        return False
    return hmac.compare_digest(_token_hash(cancel_token), booking.cancel_token_hash)


def _state_conflict(booking: Booking) -> AppError | None:
    state = BookingState(booking.state)
    if state is BookingState.CANCELLED:
        return conflict(ErrorCode.BOOKING_CANCELLED, "This booking was cancelled.")
    if state is BookingState.CHECKED_IN:
        return conflict(ErrorCode.BOOKING_ALREADY_CHECKED_IN, "This booking is already checked in.")
    if state is BookingState.NO_SHOW:
        return conflict(
            ErrorCode.BOOKING_TOO_LATE, "Check-in for this booking has closed; it expired unused."
        )
    return None


def cancel_booking(
    session: Session,
    code: str,
    *,
    nik_keys: NikKeys,
    nik: str | None,
    cancel_token: str | None,
    actor: Actor,
    now: datetime,
) -> BookingOut:
    booking = _find(session, code, lock=True)
    if nik is not None:
        mine = nik_keys.matches(check_nik(nik), booking.nik_hash, booking.nik_key_id)
    else:
        mine = _token_matches(booking, cancel_token)
    if not mine:
        raise forbidden("This NIK or token does not match the booking.", ErrorCode.NOT_YOUR_BOOKING)
    error = _state_conflict(booking)
    if error is not None:
        raise error
    booking.state = BookingState.CANCELLED.value
    booking.closed_at = now
    if booking.hub_booking_id is None:  # a hub booking's place is the hub's to give back
        give_back_place(session, booking.service_id, booking.slot_start)
    session.flush()
    record_booking_event(session, booking, EventKind.BOOKING_CANCELLED, actor, now)
    return booking_out(session, booking)


def check_in(session: Session, code: str, actor: Actor, now: datetime) -> TicketOut:
    """Turn a booking into a waiting ticket (source ``online``, appointment at the slot)."""
    if not actor.can_issue_tickets():
        raise forbidden("Only a kiosk or a logged-in officer can check bookings in.")
    booking = _find(session, code, lock=True)
    actor.require_branch(booking.branch_id)
    error = _state_conflict(booking)
    if error is not None:
        raise error
    service = get_service(session, booking.service_id)
    rules = rules_of(service)
    opens, closes = check_in_window(booking.slot_start, rules)
    verdict = check_in_verdict(booking.slot_start, now, rules)
    if verdict is CheckIn.TOO_EARLY:
        raise conflict(
            ErrorCode.BOOKING_TOO_EARLY,
            f"Check-in opens {rules.check_in_before} minutes before the slot.",
            opens_at=opens.isoformat(),
        )
    if verdict is CheckIn.TOO_LATE:
        raise conflict(
            ErrorCode.BOOKING_TOO_LATE,
            f"Check-in closed {rules.check_in_after} minutes after the slot started.",
            closed_at=closes.isoformat(),
        )
    if not service.active:
        raise conflict(
            ErrorCode.SERVICE_CLOSED, f"The service {service.name} is not taking tickets."
        )
    branch = session.get(Branch, booking.branch_id)
    assert branch is not None
    booking.state = BookingState.CHECKED_IN.value
    booking.closed_at = now
    booked: dict[str, Any] = {"id": booking.id, "slot_start": booking.slot_start.isoformat()}
    if booking.hub_booking_id is not None:  # the hub's page finds the ticket by it
        booked["hub_id"] = booking.hub_booking_id
    ticket = create_ticket(
        session,
        branch,
        service,
        actor,
        now,
        source=TicketSource.ONLINE,
        appointment_at=booking.slot_start,
        data={"booking": booked},
    )
    # The booking row is already locked by this transaction: no lock after the sequence's.
    session.execute(update(Booking).where(Booking.id == booking.id).values(ticket_id=ticket.id))
    return ticket
