"""No-shows: a booking whose check-in closed without a check-in (run by the sweeper)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import BookingRules, BookingState, is_no_show
from counter_app.core.vocabulary import EventKind
from counter_app.store.booking.settings import rules_of
from counter_app.store.booking.wire import record_booking_event
from counter_app.store.models import Booking, Branch
from counter_app.store.office import get_service


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
        record_booking_event(session, booking, EventKind.BOOKING_NO_SHOW, actor, now)
        expired += 1
    return expired
