"""A supervisor cancels a run of suspicious bookings at once: by their codes, or all still
booked that came from one address block (or a wider network) within a time window."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import BookingState
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid
from counter_app.core.vocabulary import EventKind
from counter_app.store.booking.slots import give_back_place
from counter_app.store.booking.wire import record_booking_event
from counter_app.store.models import Booking

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_network(text: str) -> Network:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise invalid(
            ErrorCode.INVALID_INPUT, f"Not an address or network: {text.strip()[:60]!r}."
        ) from None


def _within(block: str | None, network: Network) -> bool:
    if block is None:
        return False
    stored = ipaddress.ip_network(block, strict=False)
    return stored.version == network.version and (
        stored.subnet_of(network) or network.subnet_of(stored)  # type: ignore[arg-type]
    )


def find_by_codes(session: Session, branch_id: int, codes: Sequence[str]) -> list[Booking]:
    wanted = {code.strip().upper() for code in codes}
    query = (
        select(Booking)
        .where(Booking.branch_id == branch_id, Booking.code.in_(wanted))
        .with_for_update()
    )
    return list(session.scalars(query))


def find_by_network(
    session: Session, branch_id: int, network: Network, since: datetime, until: datetime | None
) -> list[Booking]:
    query = select(Booking).where(
        Booking.branch_id == branch_id,
        Booking.state == BookingState.BOOKED.value,
        Booking.client_block.is_not(None),
        Booking.created_at >= since,
    )
    if until is not None:
        query = query.where(Booking.created_at < until)
    return [b for b in session.scalars(query.with_for_update()) if _within(b.client_block, network)]


def cancel_all(
    session: Session, bookings: Sequence[Booking], actor: Actor, now: datetime
) -> tuple[list[str], list[str]]:
    """Cancel those still booked; return (cancelled codes, skipped codes)."""
    cancelled: list[str] = []
    skipped: list[str] = []
    for booking in sorted(bookings, key=lambda b: b.code):
        if booking.state != BookingState.BOOKED.value:
            skipped.append(booking.code)
            continue
        booking.state = BookingState.CANCELLED.value
        booking.closed_at = now
        if booking.hub_booking_id is None:  # a hub booking's place is the hub's
            give_back_place(session, booking.service_id, booking.slot_start)
        session.flush()
        record_booking_event(session, booking, EventKind.BOOKING_CANCELLED, actor, now)
        cancelled.append(booking.code)
    return cancelled, skipped
