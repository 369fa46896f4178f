"""How a service takes bookings: its rules, and changing them (admin)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.booking import BookingRules
from counter_app.schemas.office import BookingSettings, ServiceOut
from counter_app.store.models import Service
from counter_app.store.office import get_service
from counter_app.store.serialize import service_out
from counter_app.store.setup_events import record_setup_changed


def rules_of(service: Service) -> BookingRules:
    return BookingRules(
        enabled=service.booking_enabled,
        slot_minutes=service.booking_slot_minutes,
        capacity=service.booking_capacity,
        window_days=service.booking_window_days,
        check_in_before=service.booking_check_in_before,
        check_in_after=service.booking_check_in_after,
    )


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
    record_setup_changed(session, service.branch_id, actor, now, "service", service.id)
    return service_out(service)
