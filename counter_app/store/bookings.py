"""Online bookings: slots and their places, booking, cancelling, check-in, no-shows; holidays
and the per-service booking settings.

Places in a slot are counted in ``booking_slots``: a booking increments its slot's row with an
upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING booked``) and gives up if that passes the
capacity, rolling the increment back with everything else. The upsert's row lock orders
concurrent bookings of one slot (PostgreSQL; SQLite serialises writers anyway), so a slot
never holds more bookings than its capacity however many arrive at once. Locks are taken in a
fixed order — booking row, slot row, daily ticket counter, journal sequence last — so two
transactions cannot deadlock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import (
    ACTIVE_STATES,
    BookingRules,
    BookingState,
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
    slot_bookable,
)
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict, forbidden, invalid, not_found
from counter_app.core.nik import check_name, check_nik, check_phone, mask_name
from counter_app.core.numbering import service_day
from counter_app.core.vocabulary import EventKind, TicketSource
from counter_app.schemas.booking import (
    BookingCreate,
    BookingCreated,
    BookingOut,
    DayOut,
    SlotOut,
    SlotsOut,
)
from counter_app.schemas.office import BookingSettings, HolidayCreate, HolidayOut, ServiceOut
from counter_app.schemas.tickets import CallNextResponse, TicketOut
from counter_app.store import journal
from counter_app.store.models import (
    Booking,
    BookingSlot,
    Branch,
    BranchHoliday,
    Service,
    Ticket,
)
from counter_app.store.office import get_branch, get_service
from counter_app.store.serialize import service_out
from counter_app.store.tickets import create_ticket
from counter_app.store.ttl_cache import TtlCache, database_key, setup_cache

CODE_ATTEMPTS = 20


def rules_of(service: Service) -> BookingRules:
    return BookingRules(
        enabled=service.booking_enabled,
        slot_minutes=service.booking_slot_minutes,
        capacity=service.booking_capacity,
        window_days=service.booking_window_days,
        check_in_before=service.booking_check_in_before,
        check_in_after=service.booking_check_in_after,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- holidays and settings (admin) ------------------------------------------------------------


def holiday_out(row: BranchHoliday) -> HolidayOut:
    return HolidayOut(id=row.id, branch_id=row.branch_id, day=row.day, name=row.name)


def list_holidays(session: Session, branch_id: int) -> list[HolidayOut]:
    get_branch(session, branch_id)
    rows = session.scalars(
        select(BranchHoliday)
        .where(BranchHoliday.branch_id == branch_id)
        .order_by(BranchHoliday.day)
    )
    return [holiday_out(r) for r in rows]


def _setup_changed(
    session: Session, branch_id: int, actor: Actor, now: datetime, what: str, ident: int
) -> None:
    journal.record(
        session,
        branch_id=branch_id,
        kind=EventKind.SETUP_CHANGED,
        at=now,
        actor=actor,
        data={"what": what, "id": ident},
    )


def add_holiday(
    session: Session, branch_id: int, data: HolidayCreate, actor: Actor, now: datetime
) -> HolidayOut:
    actor.require_branch(branch_id)
    get_branch(session, branch_id)
    taken = session.scalar(
        select(BranchHoliday.id).where(
            BranchHoliday.branch_id == branch_id, BranchHoliday.day == data.day
        )
    )
    if taken is not None:
        raise conflict(ErrorCode.HOLIDAY_EXISTS, f"{data.day} is already a holiday of this branch.")
    row = BranchHoliday(branch_id=branch_id, day=data.day, name=data.name)
    session.add(row)
    session.flush()
    _setup_changed(session, branch_id, actor, now, "holiday", row.id)
    return holiday_out(row)


def remove_holiday(
    session: Session, branch_id: int, day: date, actor: Actor, now: datetime
) -> HolidayOut:
    actor.require_branch(branch_id)
    row = session.scalars(
        select(BranchHoliday).where(BranchHoliday.branch_id == branch_id, BranchHoliday.day == day)
    ).one_or_none()
    if row is None:
        raise not_found(ErrorCode.HOLIDAY_NOT_FOUND, day.isoformat())
    out = holiday_out(row)
    session.delete(row)
    session.flush()
    _setup_changed(session, branch_id, actor, now, "holiday", out.id)
    return out


def set_booking_settings(
    session: Session, service_id: int, data: BookingSettings, actor: Actor, now: datetime
) -> ServiceOut:
    """Change how a service takes bookings. Bookings already made keep their slots."""
    service = get_service(session, service_id)
    actor.require_branch(service.branch_id)
    service.booking_enabled = data.enabled
    service.booking_slot_minutes = data.slot_minutes
    service.booking_capacity = data.capacity
    service.booking_window_days = data.window_days
    service.booking_check_in_before = data.check_in_before
    service.booking_check_in_after = data.check_in_after
    session.flush()
    _setup_changed(session, service.branch_id, actor, now, "service", service.id)
    return service_out(service)


# --- slots ------------------------------------------------------------------------------------


def bookable_service(session: Session, service_id: int) -> tuple[Service, Branch]:
    service = session.get(Service, service_id)
    if service is None or not service.active or not service.booking_enabled:
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, service_id)
    branch = session.get(Branch, service.branch_id)
    assert branch is not None
    return service, branch


Out = TypeVar("Out", bound=BookingOut)


@dataclass(frozen=True)
class BookableService:
    """What booking a place needs of a service and its branch, read once per few seconds."""

    service_id: int
    service_name: str
    branch_id: int
    branch_name: str
    timezone: str
    opening_hours: dict[str, Any]
    rules: BookingRules
    holidays: frozenset[date]


# Cleared by every set-up change this process journals (booking settings, holidays, services,
# branches); another process sees a change within these seconds.
_BOOKABLE: TtlCache[tuple[str, int], BookableService | None] = setup_cache(5.0)


def _bookable_cached(session: Session, service_id: int) -> BookableService:
    def load() -> BookableService | None:
        service = session.get(Service, service_id)
        if service is None or not service.active or not service.booking_enabled:
            return None
        branch = session.get(Branch, service.branch_id)
        assert branch is not None
        days = session.scalars(
            select(BranchHoliday.day).where(BranchHoliday.branch_id == branch.id)
        )
        return BookableService(
            service_id=service.id,
            service_name=service.name,
            branch_id=branch.id,
            branch_name=branch.name,
            timezone=branch.timezone,
            opening_hours=dict(branch.opening_hours),
            rules=rules_of(service),
            holidays=frozenset(days),
        )

    found = _BOOKABLE.get((database_key(session), service_id), load)
    if found is None:
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, service_id)
    return found


def _holidays(session: Session, branch_id: int, first: date, last: date) -> dict[date, str]:
    rows = session.execute(
        select(BranchHoliday.day, BranchHoliday.name).where(
            BranchHoliday.branch_id == branch_id,
            BranchHoliday.day >= first,
            BranchHoliday.day <= last,
        )
    ).all()
    return {day: name for day, name in rows}


def list_slots(
    session: Session, service_id: int, now: datetime, only_day: date | None = None
) -> SlotsOut:
    """Every day of the booking window (or one day) with its open slots and places left."""
    service, branch = bookable_service(session, service_id)
    rules = rules_of(service)
    today = service_day(now, branch.timezone)
    days = bookable_days(today, rules)
    if only_day is not None:
        days = [only_day]
    holidays = _holidays(session, branch.id, min(days), max(days))
    slots_by_day = {
        day: [
            s
            for s in day_slots(day, branch.opening_hours, branch.timezone, rules.slot_minutes)
            if slot_bookable(s.start, now)
        ]
        for day in days
    }
    starts = [s.start for slots in slots_by_day.values() for s in slots]
    booked: dict[datetime, int] = {}
    if starts:
        rows = session.execute(
            select(BookingSlot.starts_at, BookingSlot.booked).where(
                BookingSlot.service_id == service.id,
                BookingSlot.starts_at >= min(starts),
                BookingSlot.starts_at <= max(starts),
            )
        ).all()
        booked = {start: count for start, count in rows}
    out_days = []
    for day in days:
        closed = day_closed(day, today, rules, branch.opening_hours, holidays)
        slots = []
        if closed is None:
            for s in slots_by_day[day]:
                taken = booked.get(s.start, 0)
                slots.append(
                    SlotOut(
                        start=s.start,
                        end=s.end,
                        capacity=rules.capacity,
                        booked=taken,
                        remaining=max(0, rules.capacity - taken),
                    )
                )
        out_days.append(
            DayOut(
                date=day,
                closed=closed,
                holiday_name=holidays.get(day) if closed is DayClosed.HOLIDAY else None,
                slots=slots,
                remaining=sum(s.remaining for s in slots),
            )
        )
    return SlotsOut(
        branch_id=branch.id,
        branch_name=branch.name,
        service_id=service.id,
        service_name=service.name,
        timezone=branch.timezone,
        today=today,
        window_days=rules.window_days,
        slot_minutes=rules.slot_minutes,
        days=out_days,
    )


@cache
def _take_place_statement(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(BookingSlot)
        .values(booked=1)
        .on_conflict_do_update(
            index_elements=["service_id", "starts_at"],
            set_={"booked": BookingSlot.booked + 1},
        )
        .returning(BookingSlot.booked)
    )


def _take_place(session: Session, service_id: int, start: datetime) -> int:
    """Places taken in the slot, this one included; the row stays locked until commit."""
    statement = _take_place_statement(session.get_bind().dialect.name)
    return int(
        session.execute(statement, {"service_id": service_id, "starts_at": start}).scalar_one()
    )


def _give_back_place(session: Session, service_id: int, start: datetime) -> None:
    session.execute(
        update(BookingSlot)
        .where(
            BookingSlot.service_id == service_id,
            BookingSlot.starts_at == start,
            BookingSlot.booked > 0,
        )
        .values(booked=BookingSlot.booked - 1)
    )


# --- booking ----------------------------------------------------------------------------------


def booking_out(session: Session, booking: Booking) -> BookingOut:
    service = session.get(Service, booking.service_id)
    branch = session.get(Branch, booking.branch_id)
    assert service is not None and branch is not None
    ticket_code = None
    if booking.ticket_id is not None:
        ticket_code = session.scalar(select(Ticket.code).where(Ticket.id == booking.ticket_id))
    return _booking_out(
        booking, branch.name, service.name, rules_of(service), ticket_code, BookingOut
    )


def _booking_out(
    booking: Booking,
    branch_name: str,
    service_name: str,
    rules: BookingRules,
    ticket_code: str | None,
    kind: type[Out],
    **extra: Any,
) -> Out:
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
        name_masked=mask_name(booking.name),
        nik_last4=booking.nik_last4,
        ticket_code=ticket_code,
        created_at=booking.created_at,
        **extra,
    )


def _event_data(booking: Booking) -> dict[str, Any]:
    """What the journal (and so every display) learns of a booking: nothing personal."""
    return {
        "booking": {
            "id": booking.id,
            "service_id": booking.service_id,
            "slot_start": booking.slot_start.isoformat(),
            "state": booking.state,
        }
    }


def _record(
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


def create_booking(
    session: Session, data: BookingCreate, nik_key: bytes, actor: Actor, now: datetime
) -> BookingCreated:
    """Book a place in a slot. Checks the input first, then the slot, then takes the place."""
    nik = check_nik(data.nik)
    name = check_name(data.name)
    phone = check_phone(data.phone)
    found = _bookable_cached(session, data.service_id)
    rules = found.rules
    today = service_day(now, found.timezone)
    day = service_day(data.slot_start, found.timezone)
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
            if s.start == data.slot_start
        ),
        None,
    )
    if slot is None:
        raise invalid(
            ErrorCode.BAD_SLOT, "slot_start is not the start of one of this service's slots."
        )
    if not slot_bookable(slot.start, now):
        raise conflict(ErrorCode.SLOT_STARTED, "This slot has already started; choose a later one.")
    nik_hash = nik.digest(nik_key)
    existing = session.scalar(
        _ACTIVE_FOR_NIK, {"service_id": found.service_id, "day": day, "nik_hash": nik_hash}
    )
    if existing is not None:
        raise conflict(
            ErrorCode.BOOKING_EXISTS,
            "This NIK already has a booking for this service on that day.",
        )
    if _take_place(session, found.service_id, slot.start) > rules.capacity:
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
        "nik_last4": nik.last4,
        "name": name,
        "phone": phone,
        "cancel_token_hash": _token_hash(token),
        "created_at": now,
        "closed_at": None,
        "ticket_id": None,
    }
    # A plain INSERT: the new row is not loaded back; the object below (never added to the
    # session) only carries its values to the journal event and the answer.
    booking = Booking(id=session.execute(_INSERT_BOOKING, values).scalar_one(), **values)
    _record(session, booking, EventKind.BOOKING_CREATED, actor, now)
    return _booking_out(
        booking,
        found.branch_name,
        found.service_name,
        rules,
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


def get_booking(session: Session, code: str) -> BookingOut:
    return booking_out(session, _find(session, code))


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
    nik_key: bytes,
    nik: str | None,
    cancel_token: str | None,
    actor: Actor,
    now: datetime,
) -> BookingOut:
    booking = _find(session, code, lock=True)
    if nik is not None:
        proof = check_nik(nik).digest(nik_key)
        mine = hmac.compare_digest(proof, booking.nik_hash)
    else:
        mine = hmac.compare_digest(_token_hash(cancel_token or ""), booking.cancel_token_hash)
    if not mine:
        raise forbidden("This NIK or token does not match the booking.", ErrorCode.NOT_YOUR_BOOKING)
    error = _state_conflict(booking)
    if error is not None:
        raise error
    booking.state = BookingState.CANCELLED.value
    booking.closed_at = now
    _give_back_place(session, booking.service_id, booking.slot_start)
    session.flush()
    _record(session, booking, EventKind.BOOKING_CANCELLED, actor, now)
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
    ticket = create_ticket(
        session,
        branch,
        service,
        actor,
        now,
        source=TicketSource.ONLINE,
        appointment_at=booking.slot_start,
        data={"booking": {"id": booking.id, "slot_start": booking.slot_start.isoformat()}},
    )
    # The booking row is already locked by this transaction: no lock after the sequence's.
    session.execute(update(Booking).where(Booking.id == booking.id).values(ticket_id=ticket.id))
    return ticket


def expire_no_shows(session: Session, branch: Branch, now: datetime, actor: Actor) -> int:
    """Bookings whose check-in has closed without a check-in become ``no_show``, journaled."""
    candidates = session.execute(
        select(Booking.id, Booking.service_id, Booking.slot_start)
        .where(
            Booking.branch_id == branch.id,
            Booking.state == BookingState.BOOKED.value,
            Booking.slot_start < now,
        )
        .order_by(Booking.slot_start, Booking.id)
    ).all()
    rules: dict[int, BookingRules] = {}
    expired = 0
    for booking_id, service_id, slot_start in candidates:
        if service_id not in rules:
            rules[service_id] = rules_of(get_service(session, service_id))
        if not is_no_show(slot_start, now, rules[service_id]):
            continue
        booking = session.scalars(
            select(Booking)
            .where(Booking.id == booking_id, Booking.state == BookingState.BOOKED.value)
            .with_for_update(skip_locked=True)
        ).one_or_none()
        if booking is None:
            continue  # checked in or cancelled meanwhile, or another process has it
        booking.state = BookingState.NO_SHOW.value
        booking.closed_at = now
        session.flush()
        _record(session, booking, EventKind.BOOKING_NO_SHOW, actor, now)
        expired += 1
    return expired


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
