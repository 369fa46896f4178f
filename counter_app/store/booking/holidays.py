"""A branch's holidays: no bookings are taken on them (admin)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, not_found
from counter_app.schemas.office import HolidayCreate, HolidayOut
from counter_app.store.models import BranchHoliday
from counter_app.store.office import get_branch
from counter_app.store.setup_events import record_setup_changed


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


def holidays_between(session: Session, branch_id: int, first: date, last: date) -> dict[date, str]:
    """The branch's holidays from ``first`` to ``last``, with their names."""
    rows = session.execute(
        select(BranchHoliday.day, BranchHoliday.name).where(
            BranchHoliday.branch_id == branch_id,
            BranchHoliday.day >= first,
            BranchHoliday.day <= last,
        )
    ).all()
    return {day: name for day, name in rows}


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
    record_setup_changed(session, branch_id, actor, now, "holiday", row.id)
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
    record_setup_changed(session, branch_id, actor, now, "holiday", out.id)
    return out
