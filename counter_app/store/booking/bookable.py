"""A service that takes bookings, with its branch: read for every booking, so kept in the
database's set-up cache (``StoreCaches.bookable``) for a few seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.booking import BookingRules, online_places
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import not_found
from counter_app.store.booking.settings import rules_of
from counter_app.store.caches import caches_of
from counter_app.store.models import Branch, BranchHoliday, HubLink, Service


def bookable_service(session: Session, service_id: int) -> tuple[Service, Branch]:
    """The service and its branch, if the service is open and takes bookings (not cached)."""
    service = session.get(Service, service_id)
    if service is None or not service.active or not service.booking_enabled:
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, service_id)
    branch = session.get(Branch, service.branch_id)
    assert branch is not None
    return service, branch


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
    # Places per slot this branch books itself: the capacity, less the hub's online share
    # when the branch is linked to a hub (``local_capacity``).
    capacity_here: int


def _read_bookable(session: Session, service_id: int) -> BookableService | None:
    service = session.get(Service, service_id)
    if service is None or not service.active or not service.booking_enabled:
        return None
    branch = session.get(Branch, service.branch_id)
    assert branch is not None
    days = session.scalars(select(BranchHoliday.day).where(BranchHoliday.branch_id == branch.id))
    rules = rules_of(service)
    return BookableService(
        service_id=service.id,
        service_name=service.name,
        branch_id=branch.id,
        branch_name=branch.name,
        timezone=branch.timezone,
        opening_hours=dict(branch.opening_hours),
        rules=rules,
        holidays=frozenset(days),
        capacity_here=local_capacity(session, branch.id, rules.capacity),
    )


def local_capacity(session: Session, branch_id: int, capacity: int) -> int:
    """Places per slot the branch books itself: all of them without a hub link; with one,
    what the hub's online share leaves (the hub books that share, docs/HUB.md)."""
    share = session.scalar(select(HubLink.online_share).where(HubLink.branch_id == branch_id))
    return capacity if share is None else capacity - online_places(capacity, share)


def bookable_cached(session: Session, service_id: int) -> BookableService:
    """``BookableService`` of an open service that takes bookings; cleared by every set-up
    change this process commits (settings, holidays, services, branches)."""
    found = caches_of(session).bookable.get(service_id, lambda: _read_bookable(session, service_id))
    if found is None:
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, service_id)
    return found
