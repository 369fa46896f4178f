"""Booking from home through the hub (docs/HUB.md "Booking from home"): the store side.

The hub owns the **online share** of every slot (``online_places`` of the capacity, with the
percentage the branch sent), the branch the rest; neither books the other's places, so both
keep booking while the link is down and the slot is never overbooked. A booking takes its
place with an upsert on ``hub_booking_slots`` (the row lock orders a rush on one slot, as on
a branch) and is numbered in its branch's feed last, under the branch's
``hub_booking_branches`` row lock: the feed is gap-free and in commit order, so a branch that
pulls "everything after N" never misses a change committed late. Lock order: booking row,
slot row, branch row.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, cast

from cachetools import TTLCache
from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.core.booking import (
    ACTIVE_STATES,
    BookingRules,
    BookingState,
    DayClosed,
    bookable_days,
    check_in_window,
    day_closed,
    day_slots,
    new_booking_code,
    normalise_booking_code,
    online_places,
    slot_bookable,
)
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict, forbidden, invalid, not_found
from counter_app.core.nik import NikKeys, check_name, check_nik, mask_name
from counter_app.core.numbering import service_day
from counter_app.hub.booking_models import (
    HubBooking,
    HubBookingBranch,
    HubBookingChangeRow,
    HubBookingService,
    HubBookingSlot,
)
from counter_app.hub.models import HubEventRow
from counter_app.schemas.booking import (
    BookingCreate,
    BookingCreated,
    BookingOut,
    DayOut,
    SlotOut,
    SlotsOut,
)
from counter_app.schemas.hub_booking import (
    BookingSetup,
    HubBookingChange,
    HubBookingFeed,
    SetupResult,
)

CODE_ATTEMPTS = 20
BOOKABLE_SECONDS = 5.0
FEED_LIMIT = 1000
# The branch pulls about every second while up: quieter than this, the page says it is away
# (``COUNTER_APP_HUB_BRANCH_AWAY_SECONDS``, 120 by default).
BRANCH_AWAY_ENV = "COUNTER_APP_HUB_BRANCH_AWAY_SECONDS"
BRANCH_AWAY_AFTER = timedelta(seconds=float(os.environ.get(BRANCH_AWAY_ENV, "120")))


# --- the branch's set-up ---------------------------------------------------------------------


def receive_setup(
    session: Session, branch_id: int, setup: BookingSetup, now: datetime
) -> SetupResult:
    """Keep the branch's booking set-up; services it no longer offers stop taking bookings
    (bookings made keep their slots)."""
    row = session.get(HubBookingBranch, branch_id, with_for_update=True)
    holidays = {h.day.isoformat(): h.name for h in setup.holidays}
    if row is None:
        row = HubBookingBranch(branch_id=branch_id, feed_seq=0, pulled_seq=0)
        session.add(row)
    row.code = setup.code
    row.name = setup.name
    row.address = setup.address
    row.timezone = setup.timezone
    row.opening_hours = dict(setup.opening_hours)
    row.holidays = holidays
    row.online_share = setup.online_share
    row.setup_at = now
    known = {
        s.service_id: s
        for s in session.scalars(
            select(HubBookingService).where(HubBookingService.branch_id == branch_id)
        )
    }
    offered = set()
    for item in setup.services:
        offered.add(item.id)
        service = known.get(item.id)
        if service is None:
            service = HubBookingService(branch_id=branch_id, service_id=item.id)
            session.add(service)
        service.prefix = item.prefix
        service.name = item.name
        service.position = item.position
        service.active = True
        service.slot_minutes = item.slot_minutes
        service.capacity = item.capacity
        service.window_days = item.window_days
        service.check_in_before = item.check_in_before
        service.check_in_after = item.check_in_after
    for service_id, service in known.items():
        if service_id not in offered:
            service.active = False
    try:
        session.flush()
    except IntegrityError:
        raise AppError(
            ErrorCode.INVALID_INPUT, f"another branch at this hub has the code {setup.code!r}"
        ) from None
    return SetupResult(branch_id=branch_id, services=len(offered))


# --- the feed the branch pulls ---------------------------------------------------------------


def feed(session: Session, branch_id: int, after: int, limit: int, now: datetime) -> HubBookingFeed:
    """The changes after ``after``, oldest first. Asking for them says the branch holds
    everything up to ``after``: the hub notes it (the citizen's page shows it)."""
    row = session.get(HubBookingBranch, branch_id)
    if row is None:
        return HubBookingFeed(changes=[], head=0)
    session.execute(
        update(HubBookingBranch)
        .where(HubBookingBranch.branch_id == branch_id)
        .values(
            pulled_seq=func.greatest(HubBookingBranch.pulled_seq, min(after, row.feed_seq)),
            pulled_at=now,
        )
    )
    rows = session.execute(
        select(HubBookingChangeRow.seq, HubBookingChangeRow.kind, HubBooking, HubBookingService)
        .join(HubBooking, HubBooking.id == HubBookingChangeRow.booking_id)
        .join(HubBookingService, HubBookingService.id == HubBooking.service_id)
        .where(HubBookingChangeRow.branch_id == branch_id, HubBookingChangeRow.seq > after)
        .order_by(HubBookingChangeRow.seq)
        .limit(limit)
    ).all()
    changes = [
        HubBookingChange(
            seq=int(seq),
            kind=kind,
            hub_id=b.id,
            code=b.code,
            state=BookingState(b.state),
            service_id=service.service_id,
            slot_start=b.slot_start,
            slot_end=b.slot_end,
            slot_day=b.slot_day,
            name=b.name,
            nik_last4=b.nik_last4,
            created_at=b.created_at,
            closed_at=b.closed_at,
        )
        for seq, kind, b, service in rows
    ]
    return HubBookingFeed(changes=changes, head=row.feed_seq)


def _next_feed_seq(session: Session, branch_id: int) -> int:
    """The branch's next feed number: the last statement of the transaction (see module)."""
    return int(
        session.execute(
            update(HubBookingBranch)
            .where(HubBookingBranch.branch_id == branch_id)
            .values(feed_seq=HubBookingBranch.feed_seq + 1)
            .returning(HubBookingBranch.feed_seq)
        ).scalar_one()
    )


# --- what the pages offer --------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """A branch as the pages show it (the same fields the branch's templates read)."""

    id: int
    code: str
    name: str
    address: str


@dataclass(frozen=True)
class OfferedService:
    id: int
    name: str


@dataclass(frozen=True)
class ServiceFacts:
    """A bookable service's row, copied: safe to keep past its session (and its rollback)."""

    id: int
    name: str
    capacity: int
    slot_minutes: int
    window_days: int
    check_in_before: int
    check_in_after: int

    @classmethod
    def of(cls, row: HubBookingService) -> ServiceFacts:
        return cls(
            row.id,
            row.name,
            row.capacity,
            row.slot_minutes,
            row.window_days,
            row.check_in_before,
            row.check_in_after,
        )


@dataclass(frozen=True)
class BranchFacts:
    branch_id: int
    name: str
    timezone: str
    opening_hours: dict[str, Any]
    holidays: dict[str, str]
    online_share: int

    @classmethod
    def of(cls, row: HubBookingBranch) -> BranchFacts:
        return cls(
            row.branch_id,
            row.name,
            row.timezone,
            dict(row.opening_hours),
            dict(row.holidays),
            row.online_share,
        )


@dataclass(frozen=True)
class Bookable:
    service: ServiceFacts
    branch: BranchFacts

    @property
    def rules(self) -> BookingRules:
        s = self.service
        return BookingRules(
            enabled=True,
            slot_minutes=s.slot_minutes,
            capacity=s.capacity,
            window_days=s.window_days,
            check_in_before=s.check_in_before,
            check_in_after=s.check_in_after,
        )

    @property
    def online(self) -> int:
        return online_places(self.service.capacity, self.branch.online_share)

    @property
    def holidays(self) -> dict[date, str]:
        return {date.fromisoformat(day): name for day, name in self.branch.holidays.items()}


def offices(session: Session) -> list[Office]:
    """Branches with at least one service the hub can book (an online share above 0)."""
    rows = session.scalars(
        select(HubBookingBranch)
        .where(
            HubBookingBranch.online_share > 0,
            HubBookingBranch.branch_id.in_(
                select(HubBookingService.branch_id).where(HubBookingService.active.is_(True))
            ),
        )
        .order_by(HubBookingBranch.name)
    )
    return [Office(r.branch_id, r.code, r.name, r.address) for r in rows]


def office_services(session: Session, code: str) -> tuple[Office, list[OfferedService]]:
    row = session.scalars(select(HubBookingBranch).where(HubBookingBranch.code == code)).first()
    if row is None:
        raise AppError(ErrorCode.BRANCH_NOT_FOUND, "No such branch.")
    services = session.scalars(
        select(HubBookingService)
        .where(HubBookingService.branch_id == row.branch_id, HubBookingService.active.is_(True))
        .order_by(HubBookingService.position, HubBookingService.prefix)
    )
    offered = [OfferedService(s.id, s.name) for s in services] if row.online_share > 0 else []
    return Office(row.branch_id, row.code, row.name, row.address), offered


_BOOKABLE: TTLCache[int, Bookable] = TTLCache(maxsize=20_000, ttl=BOOKABLE_SECONDS)
_BOOKABLE_LOCK = threading.Lock()


def bookable_cached(session: Session, service_id: int) -> Bookable:
    """``bookable``, remembered by this process for a few seconds: read for every booking,
    changed only when a branch sends a new set-up (seen here within BOOKABLE_SECONDS)."""
    with _BOOKABLE_LOCK:
        found = _BOOKABLE.get(service_id)
    if found is None:
        found = bookable(session, service_id)
        with _BOOKABLE_LOCK:
            _BOOKABLE[service_id] = found
    return found


def bookable(session: Session, service_id: int) -> Bookable:
    service = session.get(HubBookingService, service_id)
    branch = None if service is None else session.get(HubBookingBranch, service.branch_id)
    if service is None or branch is None or not service.active or branch.online_share <= 0:
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, service_id)
    return Bookable(ServiceFacts.of(service), BranchFacts.of(branch))


def list_slots(
    session: Session, service_id: int, now: datetime, only_day: date | None = None
) -> SlotsOut:
    """Like the branch's ``list_slots``, with the hub's online share as each slot's places."""
    found = bookable(session, service_id)
    rules, branch, service = found.rules, found.branch, found.service
    today = service_day(now, branch.timezone)
    days = [only_day] if only_day is not None else bookable_days(today, rules)
    holidays = found.holidays
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
        booked = {
            start: count
            for start, count in session.execute(
                select(HubBookingSlot.starts_at, HubBookingSlot.booked).where(
                    HubBookingSlot.service_id == service.id,
                    HubBookingSlot.starts_at >= min(starts),
                    HubBookingSlot.starts_at <= max(starts),
                )
            )
        }
    places = found.online
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
                        capacity=places,
                        booked=taken,
                        remaining=max(0, places - taken),
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
        branch_id=branch.branch_id,
        branch_name=branch.name,
        service_id=service.id,
        service_name=service.name,
        timezone=branch.timezone,
        today=today,
        window_days=rules.window_days,
        slot_minutes=rules.slot_minutes,
        days=out_days,
    )


# --- booking, looking up, cancelling ---------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_ACTIVE_SQL = ", ".join(f"'{s.value}'" for s in ACTIVE_STATES)
_ACTIVE_FOR_NIK = select(HubBooking.code).where(
    HubBooking.service_id == bindparam("service_id"),
    HubBooking.slot_day == bindparam("day"),
    HubBooking.nik_hash.in_(bindparam("digests", expanding=True)),
    text(f"hub_bookings.state IN ({_ACTIVE_SQL})"),
)
_BOOKINGS = cast(Table, HubBooking.__table__)
# ON CONFLICT DO NOTHING: a code already given out, or a second active booking of the NIK
# (the partial unique index), inserts nothing and returns no id; which one is looked up then.
_INSERT = postgresql.insert(_BOOKINGS).on_conflict_do_nothing().returning(_BOOKINGS.c.id)
_CHANGES = cast(Table, HubBookingChangeRow.__table__)


@cache
def _take_place() -> Any:
    return (
        postgresql.insert(HubBookingSlot)
        .values(booked=1)
        .on_conflict_do_update(
            index_elements=["service_id", "starts_at"],
            set_={"booked": HubBookingSlot.booked + 1},
        )
        .returning(HubBookingSlot.booked)
    )


def _give_back(session: Session, service_id: int, start: datetime) -> None:
    session.execute(
        update(HubBookingSlot)
        .where(
            HubBookingSlot.service_id == service_id,
            HubBookingSlot.starts_at == start,
            HubBookingSlot.booked > 0,
        )
        .values(booked=HubBookingSlot.booked - 1)
    )


def _open_slot(found: Bookable, slot_start: datetime, now: datetime) -> tuple[date, datetime]:
    rules, branch = found.rules, found.branch
    today = service_day(now, branch.timezone)
    day = service_day(slot_start, branch.timezone)
    closed = day_closed(day, today, rules, branch.opening_hours, found.holidays)
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
            for s in day_slots(day, branch.opening_hours, branch.timezone, rules.slot_minutes)
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
    return day, slot.end


def create_booking(
    session: Session, data: BookingCreate, nik_keys: NikKeys, now: datetime
) -> BookingCreated:
    """Book a place of the hub's online share; numbered in the branch's feed last."""
    nik = check_nik(data.nik)
    name = check_name(data.name)
    found = bookable_cached(session, data.service_id)
    day, slot_end = _open_slot(found, data.slot_start, now)
    digests = list(nik_keys.digests(nik).values())
    # With one key the unique index settles it (below); after a rotation an earlier booking
    # may carry the NIK's hash under an older key, which only a look-up finds.
    if len(digests) > 1 and _nik_has_booking(session, found, day, digests):
        raise _booking_exists()
    taken = session.execute(
        _take_place(), {"service_id": found.service.id, "starts_at": data.slot_start}
    ).scalar_one()
    if taken > found.online:
        raise conflict(ErrorCode.SLOT_FULL, "This slot is fully booked; choose another one.")
    token = secrets.token_urlsafe(24)
    values: dict[str, Any] = {
        "branch_id": found.branch.branch_id,
        "service_id": found.service.id,
        "code": "",
        "state": BookingState.BOOKED.value,
        "slot_start": data.slot_start,
        "slot_end": slot_end,
        "slot_day": day,
        "nik_hash": nik.digest(nik_keys.current),
        "nik_key_id": nik_keys.current_id,
        "nik_last4": nik.last4,
        "name": name,
        "cancel_token_hash": _token_hash(token),
        "created_at": now,
        "closed_at": None,
        "anonymised_at": None,
        "created_seq": 0,
    }
    # The feed's number before the row (so no second UPDATE): the branch row stays locked
    # for two inserts and the commit; bookings of other branches never wait for it.
    seq = values["created_seq"] = _next_feed_seq(session, found.branch.branch_id)
    booking_id = None
    for _ in range(CODE_ATTEMPTS):
        values["code"] = new_booking_code()
        booking_id = session.execute(_INSERT, values).scalar()
        if booking_id is not None:
            break
        if _nik_has_booking(session, found, day, digests):
            raise _booking_exists()
    if booking_id is None:
        raise AppError(ErrorCode.NO_CODE, "No free booking code; try again.")
    session.execute(
        _CHANGES.insert(),
        {
            "branch_id": found.branch.branch_id,
            "seq": seq,
            "booking_id": booking_id,
            "kind": "created",
        },
    )
    booking = HubBooking(id=booking_id, **values)
    created: BookingCreated = _wire(booking, found, BookingCreated, cancel_token=token)
    return created


def create_with_race(
    session: Session, data: BookingCreate, nik_keys: NikKeys, now: datetime
) -> BookingCreated:
    """``create_booking``; two requests with one NIK that raced past its check meet the
    partial unique index, and the loser gets ``booking_exists`` too."""
    try:
        return create_booking(session, data, nik_keys, now)
    except IntegrityError as exc:
        if "uq_hub_bookings_active_nik" in str(exc.orig):
            raise conflict(
                ErrorCode.BOOKING_EXISTS,
                "This NIK already has a booking for this service on that day.",
            ) from None
        raise


def _nik_has_booking(session: Session, found: Bookable, day: date, digests: list[str]) -> bool:
    params = {"service_id": found.service.id, "day": day, "digests": digests}
    return session.scalar(_ACTIVE_FOR_NIK, params) is not None


def _booking_exists() -> AppError:
    return conflict(
        ErrorCode.BOOKING_EXISTS, "This NIK already has a booking for this service on that day."
    )


def _wire(booking: HubBooking, found: Bookable, kind: type[Any], **extra: Any) -> Any:
    opens, closes = check_in_window(booking.slot_start, found.rules)
    return kind(
        code=booking.code,
        state=BookingState(booking.state),
        branch_id=booking.branch_id,
        branch_name=found.branch.name,
        service_id=booking.service_id,
        service_name=found.service.name,
        slot_start=booking.slot_start,
        slot_end=booking.slot_end,
        check_in_opens=opens,
        check_in_closes=closes,
        name_masked=mask_name(booking.name) if booking.name else None,
        nik_last4=booking.nik_last4,
        ticket_code=None,
        created_at=booking.created_at,
        **extra,
    )


@dataclass(frozen=True)
class HubBookingView:
    """A booking on the hub's page: the booking, whether its office has it yet, and when the
    office was last heard from."""

    booking: BookingOut
    timezone: str
    delivered: bool
    branch_seen_at: datetime | None
    branch_id: int


def _find(session: Session, code_text: str, *, lock: bool = False) -> HubBooking:
    code = normalise_booking_code(code_text)
    if code is None:
        raise not_found(ErrorCode.BOOKING_NOT_FOUND, code_text.strip()[:20])
    query = select(HubBooking).where(HubBooking.code == code)
    if lock:
        query = query.with_for_update()
    found = session.scalars(query).one_or_none()
    if found is None:
        raise not_found(ErrorCode.BOOKING_NOT_FOUND, code)
    return found


def _view(session: Session, booking: HubBooking, personal: bool) -> HubBookingView:
    service = session.get(HubBookingService, booking.service_id)
    branch = session.get(HubBookingBranch, booking.branch_id)
    assert service is not None and branch is not None
    facts = Bookable(ServiceFacts.of(service), BranchFacts.of(branch))
    out: BookingOut = _wire(booking, facts, BookingOut)
    if not personal:
        out = out.model_copy(update={"name_masked": None, "nik_last4": None})
    return HubBookingView(
        booking=out,
        timezone=branch.timezone,
        delivered=branch.pulled_seq >= booking.created_seq,
        branch_seen_at=branch.pulled_at,
        branch_id=branch.branch_id,
    )


def get_booking(
    session: Session,
    code: str,
    *,
    nik_keys: NikKeys | None = None,
    cancel_token: str | None = None,
    nik: str | None = None,
) -> HubBookingView:
    booking = _find(session, code)
    if nik is not None:
        if nik_keys is None or not nik_keys.matches(
            check_nik(nik), booking.nik_hash, booking.nik_key_id
        ):
            raise forbidden("This NIK does not match the booking.", ErrorCode.NOT_YOUR_BOOKING)
        return _view(session, booking, True)
    return _view(session, booking, _token_matches(booking, cancel_token))


def _token_matches(booking: HubBooking, cancel_token: str | None) -> bool:
    if not cancel_token:
        return False
    return hmac.compare_digest(_token_hash(cancel_token), booking.cancel_token_hash)


def cancel_booking(
    session: Session,
    code: str,
    *,
    nik_keys: NikKeys,
    nik: str | None,
    cancel_token: str | None,
    now: datetime,
) -> HubBookingView:
    """Cancel a booking still ``booked`` here; the change goes down the feed, and the branch
    cancels its copy when it pulls it (unless it was checked in there first)."""
    booking = _find(session, code, lock=True)
    if nik is not None:
        mine = nik_keys.matches(check_nik(nik), booking.nik_hash, booking.nik_key_id)
    else:
        mine = _token_matches(booking, cancel_token)
    if not mine:
        raise forbidden("This NIK or token does not match the booking.", ErrorCode.NOT_YOUR_BOOKING)
    if booking.state == BookingState.CANCELLED.value:
        raise conflict(ErrorCode.BOOKING_CANCELLED, "This booking was cancelled.")
    if booking.state != BookingState.BOOKED.value or ticket_of_booking(session, booking):
        # The branch's journal (as pushed here) shows the check-in: too late to cancel.
        raise conflict(ErrorCode.BOOKING_ALREADY_CHECKED_IN, "This booking is already checked in.")
    booking.state = BookingState.CANCELLED.value
    booking.closed_at = now
    _give_back(session, booking.service_id, booking.slot_start)
    session.flush()
    seq = _next_feed_seq(session, booking.branch_id)
    session.execute(
        _CHANGES.insert(),
        {"branch_id": booking.branch_id, "seq": seq, "booking_id": booking.id, "kind": "cancelled"},
    )
    return _view(session, booking, True)


def ticket_of_booking(session: Session, booking: HubBooking) -> str | None:
    """The code of the ticket the branch issued when this booking was checked in there
    (its ``ticket.issued`` event names the hub's booking id), once the hub holds it."""
    service = session.get(HubBookingService, booking.service_id)
    if service is None:
        return None
    since = booking.slot_start - timedelta(minutes=service.check_in_before + 1)
    found = session.execute(
        select(HubEventRow.payload)
        .where(
            HubEventRow.branch_id == booking.branch_id,
            HubEventRow.at >= since,
            HubEventRow.kind == "ticket.issued",
            text("(hub_events.payload->'data'->'booking'->>'hub_id') = :hub_id"),
        )
        .limit(1),
        {"hub_id": str(booking.id)},
    ).first()
    return None if found is None else str(found[0]["ticket"]["code"])


def branch_away(view: HubBookingView, now: datetime) -> bool:
    """Whether the office has not pulled for a while (the page then says since when)."""
    seen = view.branch_seen_at
    return seen is None or now - seen > BRANCH_AWAY_AFTER


RETENTION_ENV = "COUNTER_APP_HUB_BOOKING_RETENTION_DAYS"
HOUSEKEEPING_SECONDS = 3600.0


def retention() -> timedelta:
    """How long after its slot a hub booking keeps the name and the NIK's hash and last
    digits (30 days by default, as on a branch; docs/PRIVACY.md "The hub")."""
    return timedelta(days=float(os.environ.get(RETENTION_ENV, "30")))


def anonymise_expired(session: Session, now: datetime) -> int:
    return anonymise(session, now - retention(), now)


def anonymise(session: Session, before: datetime, now: datetime) -> int:
    """Empty the personal columns of bookings whose slot ended before ``before``."""
    done = session.execute(
        update(HubBooking)
        .where(HubBooking.anonymised_at.is_(None), HubBooking.slot_end < before)
        .values(name=None, nik_hash=None, nik_key_id=None, nik_last4=None, anonymised_at=now)
    )
    return int(getattr(done, "rowcount", 0) or 0)


def booking_codes(session: Session, branch_id: int) -> Sequence[str]:
    return list(session.scalars(select(HubBooking.code).where(HubBooking.branch_id == branch_id)))
