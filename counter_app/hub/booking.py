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
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any

from cachetools import TTLCache
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.core.booking import (
    BookingRules,
    BookingState,
    DayClosed,
    bookable_days,
    check_in_window,
    day_closed,
    day_slots,
    normalise_booking_code,
    online_places,
    slot_bookable,
)
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict, forbidden, invalid, not_found
from counter_app.core.nik import NikKeys, check_nik, mask_name
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
    over: dict[int, dict[str, int]] = {}
    for count in setup.branch_booked:
        over.setdefault(count.service_id, {})[count.slot_start.astimezone(UTC).isoformat()] = (
            count.booked
        )
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
        service.branch_booked = over.get(item.id, {})
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
    # Lock order as elsewhere: booking rows and slots before the branch's row (below).
    confirm_cancellations(session, branch_id, now)
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
    branch_booked: dict[str, int]  # slot start (ISO, UTC) → the branch's own, where over

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
            dict(row.branch_booked or {}),
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
    """A bookable service and its branch, as plain values, with what a booking derives from
    them worked out once (it is kept per process for a few seconds, ``bookable_cached``)."""

    service: ServiceFacts
    branch: BranchFacts

    @cached_property
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

    @cached_property
    def online(self) -> int:
        return online_places(self.service.capacity, self.branch.online_share)

    @cached_property
    def _branch_booked(self) -> dict[datetime, int]:
        return {datetime.fromisoformat(k): v for k, v in self.service.branch_booked.items()}

    def places(self, start: datetime) -> int:
        """The places the hub books in the slot starting at ``start``: its online share, or
        what the branch's own bookings leave when they pass the rest (docs/HUB.md)."""
        branch = self._branch_booked.get(start, 0) if self._branch_booked else 0
        return max(0, min(self.online, self.service.capacity - branch))

    @cached_property
    def holidays(self) -> dict[date, str]:
        return {date.fromisoformat(day): name for day, name in self.branch.holidays.items()}

    @cached_property
    def _hours(self) -> Hours:
        return tuple(sorted((day, tuple(span)) for day, span in self.branch.opening_hours.items()))

    def slot_end(self, day: date, start: datetime) -> datetime | None:
        """The end of the slot of ``day`` that starts at ``start``; ``None`` if no slot does.
        A day's slots are worked out once per opening hours, zone and slot length."""
        b = self.branch
        return _slot_ends(day, self._hours, b.timezone, self.service.slot_minutes).get(start)


Hours = tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=8192)
def _slot_ends(day: date, hours: Hours, zone: str, minutes: int) -> Mapping[datetime, datetime]:
    """A day's slots, start → end (read-only: shared by every booking that asks)."""
    slots = day_slots(day, {d: list(span) for d, span in hours}, zone, minutes)
    return MappingProxyType({s.start: s.end for s in slots})


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


def forget_bookable() -> None:
    """Empty this process's cache of bookable services (one hub database per process; tests
    that make a new hub database each reuse its ids)."""
    with _BOOKABLE_LOCK:
        _BOOKABLE.clear()


def bookable_if_cached(service_id: int) -> Bookable | None:
    with _BOOKABLE_LOCK:
        return _BOOKABLE.get(service_id)


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
    out_days = []
    for day in days:
        closed = day_closed(day, today, rules, branch.opening_hours, holidays)
        slots = []
        if closed is None:
            for s in slots_by_day[day]:
                taken = booked.get(s.start, 0)
                places = found.places(s.start)
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


def open_slot(found: Bookable, slot_start: datetime, now: datetime) -> tuple[date, datetime]:
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
    slot_end = found.slot_end(day, slot_start)
    if slot_end is None:
        raise invalid(
            ErrorCode.BAD_SLOT, "slot_start is not the start of one of this service's slots."
        )
    if not slot_bookable(slot_start, now):
        raise conflict(ErrorCode.SLOT_STARTED, "This slot has already started; choose a later one.")
    return day, slot_end


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
    # Cancelled here after the office had checked it in (its journal said so since): the
    # cancellation did not take; the booking is checked in (``confirm_cancellations``).
    cancel_refused: bool = False


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
        cancel_refused=booking.state == BookingState.CHECKED_IN.value,
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
    # The place stays held until the branch confirms (``confirm_cancellations``): a check-in
    # there not yet pushed here would otherwise leave the slot one over its capacity.
    booking.state = BookingState.CANCELLED.value
    booking.closed_at = now
    booking.cancel_pending = True
    session.flush()
    seq = _next_feed_seq(session, booking.branch_id)
    session.execute(
        insert(HubBookingChangeRow).values(
            branch_id=booking.branch_id, seq=seq, booking_id=booking.id, kind="cancelled"
        )
    )
    return _view(session, booking, True)


# What the branch's journal (pushed here) says became of its copy of a hub booking.
_OUTCOMES = text(
    "SELECT kind, payload->'data'->'booking'->>'state' FROM hub_events "
    "WHERE branch_id = :branch_id AND at >= :since "
    "AND kind IN ('booking.cancelled', 'booking.created', 'ticket.issued') "
    "AND (payload->'data'->'booking'->>'hub_id') = :hub_id"
)
CLOCK_SKEW = timedelta(hours=1)


def confirm_cancellations(session: Session, branch_id: int, now: datetime) -> int:
    """Settle the branch's cancellations still holding their place, from its journal as
    pushed here: its copy cancelled (or taken in already cancelled) frees the place; its copy
    checked in first keeps it, and the booking is checked in here too (the citizen's page
    shows it) unless the citizen has booked that service and day again meanwhile. Still
    unknown when the slot starts: the place is freed (nobody can book a started slot).
    Called with every pull of the branch's feed; the number settled."""
    pending = session.execute(
        select(HubBooking.id, HubBooking.service_id, HubBooking.slot_start, HubBooking.created_at)
        .where(HubBooking.branch_id == branch_id, HubBooking.cancel_pending.is_(True))
        .order_by(HubBooking.id)
        .with_for_update(skip_locked=True)
    ).all()
    settled = 0
    for booking_id, service_id, slot_start, created_at in pending:
        kinds = {
            (kind, state)
            for kind, state in session.execute(
                _OUTCOMES,
                {
                    "branch_id": branch_id,
                    "since": created_at - CLOCK_SKEW,
                    "hub_id": str(booking_id),
                },
            )
        }
        checked_in = any(kind == "ticket.issued" for kind, _ in kinds)
        cancelled = ("booking.cancelled", BookingState.CANCELLED.value) in kinds or (
            "booking.created",
            BookingState.CANCELLED.value,
        ) in kinds
        if not checked_in and not cancelled and slot_start > now:
            continue
        settled += 1
        this = update(HubBooking).where(HubBooking.id == booking_id)
        if checked_in:
            try:
                with session.begin_nested():
                    session.execute(
                        this.values(state=BookingState.CHECKED_IN.value, cancel_pending=False)
                    )
            except IntegrityError:  # booked again meanwhile: stays cancelled, place kept
                session.execute(this.values(cancel_pending=False))
        else:
            session.execute(this.values(cancel_pending=False))
            _give_back(session, service_id, slot_start)
    return settled


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
