"""What the booking pages offer: the offices and the services that take online bookings.

Read-only; the slots and the bookings themselves are in ``store.booking``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.store.models import Branch, Service


def bookable_branches(session: Session) -> list[Branch]:
    """The offices with at least one active service taking bookings, by name."""
    ids = set(
        session.scalars(
            select(Service.branch_id).where(
                Service.active.is_(True), Service.booking_enabled.is_(True)
            )
        )
    )
    return list(session.scalars(select(Branch).where(Branch.id.in_(ids)).order_by(Branch.name)))


def bookable_services(session: Session, branch_code: str) -> tuple[Branch, list[Service]]:
    """The office ``branch_code`` and its active services taking bookings, in display order;
    raises ``AppError`` (``branch_not_found``) for no such office."""
    branch = session.scalars(select(Branch).where(Branch.code == branch_code)).one_or_none()
    if branch is None:
        raise AppError(ErrorCode.BRANCH_NOT_FOUND, "No such branch.")
    services = session.scalars(
        select(Service)
        .where(
            Service.branch_id == branch.id,
            Service.active.is_(True),
            Service.booking_enabled.is_(True),
        )
        .order_by(Service.position, Service.prefix)
    ).all()
    return branch, list(services)


def branch_timezone(session: Session, branch_id: int) -> str:
    """The time zone of the office ``branch_id`` (which a booking always has)."""
    zone = session.scalar(select(Branch.timezone).where(Branch.id == branch_id))
    assert zone is not None, f"branch {branch_id} is missing"
    return zone
