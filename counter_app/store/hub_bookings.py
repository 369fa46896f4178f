"""A branch linked to a hub for booking from home (docs/HUB.md "Booking from home"): the
booking set-up it sends up, and the hub's bookings it takes in.

``apply_feed`` turns the hub's changes into ordinary bookings (so the kiosk checks them in,
offline too) in one transaction with the cursor: the ``hub_links`` row is locked first, changes
at or below the stored cursor are skipped, and ``bookings.hub_booking_id`` is unique, so a
repeated or overlapping pull (two server processes, a retry after a lost answer) creates
nothing twice. A hub booking takes no place in ``booking_slots``: its place is in the hub's
online share, the branch's own bookings count against the rest.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import ANONYMOUS
from counter_app.core.booking import BookingState, online_places
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.hub_booking import (
    BookingSetup,
    HubBookingChange,
    SetupHoliday,
    SetupService,
    SetupSlotCount,
)
from counter_app.store.booking.wire import record_booking_event
from counter_app.store.models import (
    Booking,
    BookingSlot,
    Branch,
    BranchHoliday,
    HubLink,
    Service,
)

log = logging.getLogger(__name__)


def link(session: Session, branch_id: int, online_share: int) -> HubLink:
    """The branch's hub link (locked), made with ``online_share`` when there is none yet. An
    existing link keeps its share: changing it is ``hub_pull``'s, in the order that never lets
    both sides book the same place."""
    row = session.get(HubLink, branch_id, with_for_update=True)
    if row is None:
        row = HubLink(branch_id=branch_id, online_share=online_share, pull_cursor=0)
        session.add(row)
        session.flush()
    return row


def booking_setup(
    session: Session, branch_id: int, online_share: int, now: datetime
) -> BookingSetup:
    """What the hub needs to book this branch's online share, with the branch's own bookings
    of the slots (from ``now`` on) where they pass what the share leaves it (after the share
    was raised): there the hub books only what is really left (docs/HUB.md)."""
    branch = session.get(Branch, branch_id)
    assert branch is not None
    services = list(
        session.scalars(
            select(Service)
            .where(
                Service.branch_id == branch_id,
                Service.active.is_(True),
                Service.booking_enabled.is_(True),
            )
            .order_by(Service.position, Service.prefix)
        )
    )
    holidays = session.execute(
        select(BranchHoliday.day, BranchHoliday.name)
        .where(BranchHoliday.branch_id == branch_id)
        .order_by(BranchHoliday.day)
    )
    return BookingSetup(
        code=branch.code,
        name=branch.name,
        address=branch.address or "",
        timezone=branch.timezone,
        opening_hours={k: list(v) for k, v in (branch.opening_hours or {}).items()},
        online_share=online_share,
        services=[
            SetupService(
                id=s.id,
                prefix=s.prefix,
                name=s.name,
                position=s.position,
                slot_minutes=s.booking_slot_minutes,
                capacity=s.booking_capacity,
                window_days=s.booking_window_days,
                check_in_before=s.booking_check_in_before,
                check_in_after=s.booking_check_in_after,
            )
            for s in services
        ],
        holidays=[SetupHoliday(day=day, name=name or "") for day, name in holidays],
        branch_booked=_over_share(session, services, online_share, now),
    )


def _over_share(
    session: Session, services: Sequence[Service], online_share: int, now: datetime
) -> list[SetupSlotCount]:
    counts = []
    for service in services:
        capacity = service.booking_capacity
        own = capacity - online_places(capacity, online_share)
        rows = session.execute(
            select(BookingSlot.starts_at, BookingSlot.booked)
            .where(
                BookingSlot.service_id == service.id,
                BookingSlot.starts_at > now,
                BookingSlot.booked > own,
            )
            .order_by(BookingSlot.starts_at)
        )
        counts += [
            SetupSlotCount(service_id=service.id, slot_start=start, booked=min(booked, capacity))
            for start, booked in rows
        ]
    return counts


def setup_hash(setup: BookingSetup) -> str:
    body = orjson.dumps(setup.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


def _insert(session: Session, branch_id: int, change: HubBookingChange) -> Booking:
    values: dict[str, Any] = {
        "branch_id": branch_id,
        "service_id": change.service_id,
        "code": change.code,
        "state": change.state.value,
        "slot_start": change.slot_start,
        "slot_end": change.slot_end,
        "slot_day": change.slot_day,
        "nik_hash": None,  # the hub hashes the NIK under its own key; nothing of it here
        "nik_key_id": None,
        "nik_last4": change.nik_last4,
        "name": change.name,
        "phone": None,
        # No token: it is cancelled on the hub (where the citizen booked), never here.
        "cancel_token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        "created_at": change.created_at,
        "closed_at": change.closed_at,
        "hub_booking_id": change.hub_id,
    }
    booking = Booking(**values)
    session.add(booking)
    return booking


def apply_feed(
    session: Session,
    branch_id: int,
    online_share: int,
    changes: Sequence[HubBookingChange],
    now: datetime,
) -> tuple[int, int]:
    """Take the hub's changes in; return (the new cursor, bookings created or cancelled)."""
    row = link(session, branch_id, online_share)
    cursor = row.pull_cursor
    events: list[tuple[Booking, EventKind]] = []
    for change in changes:
        if change.seq <= cursor:
            continue  # an overlapping pull: already taken in
        cursor = change.seq
        existing = session.scalars(
            select(Booking).where(Booking.hub_booking_id == change.hub_id).with_for_update()
        ).one_or_none()
        if existing is None:
            if session.scalar(select(Booking.id).where(Booking.code == change.code)) is not None:
                log.error(
                    "hub booking %s has the code of a booking made here; it is skipped",
                    change.hub_id,
                )
                continue
            if not session.get(Service, change.service_id):
                log.error("hub booking %s names no service of this branch", change.hub_id)
                continue
            events.append((_insert(session, branch_id, change), EventKind.BOOKING_CREATED))
        elif change.state is BookingState.CANCELLED and existing.state == BookingState.BOOKED.value:
            existing.state = BookingState.CANCELLED.value
            existing.closed_at = change.closed_at or now
            events.append((existing, EventKind.BOOKING_CANCELLED))
    row.pull_cursor = cursor
    session.flush()
    # The journal's events last: its sequence lock is always taken after row locks.
    for booking, kind in events:
        record_booking_event(session, booking, kind, ANONYMOUS, now)
    return cursor, len(events)
