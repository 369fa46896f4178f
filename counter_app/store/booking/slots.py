"""The slots on offer (every day of the booking window with its places left), and taking or
giving back a place in one."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app.core.booking import DayClosed, bookable_days, day_closed, day_slots, slot_bookable
from counter_app.core.numbering import service_day
from counter_app.schemas.booking import DayOut, SlotOut, SlotsOut
from counter_app.store.booking.bookable import bookable_service, local_capacity
from counter_app.store.booking.holidays import holidays_between
from counter_app.store.booking.settings import rules_of
from counter_app.store.models import BookingSlot
from counter_app.store.upsert import insert_for


def _places_booked(
    session: Session, service_id: int, starts: list[datetime]
) -> dict[datetime, int]:
    """Places taken per slot start, for the slots from the first to the last of ``starts``."""
    if not starts:
        return {}
    rows = session.execute(
        select(BookingSlot.starts_at, BookingSlot.booked).where(
            BookingSlot.service_id == service_id,
            BookingSlot.starts_at >= min(starts),
            BookingSlot.starts_at <= max(starts),
        )
    ).all()
    return {start: count for start, count in rows}


def list_slots(
    session: Session, service_id: int, now: datetime, only_day: date | None = None
) -> SlotsOut:
    """Every day of the booking window (or one day) with its open slots and places left."""
    service, branch = bookable_service(session, service_id)
    rules = rules_of(service)
    capacity = local_capacity(session, branch.id, rules.capacity)
    today = service_day(now, branch.timezone)
    days = bookable_days(today, rules)
    if only_day is not None:
        days = [only_day]
    holidays = holidays_between(session, branch.id, min(days), max(days))
    slots_by_day = {
        day: [
            s
            for s in day_slots(day, branch.opening_hours, branch.timezone, rules.slot_minutes)
            if slot_bookable(s.start, now)
        ]
        for day in days
    }
    booked = _places_booked(
        session, service.id, [s.start for slots in slots_by_day.values() for s in slots]
    )
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
                        capacity=capacity,
                        booked=taken,
                        remaining=max(0, capacity - taken),
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
    insert = insert_for(dialect)
    return (
        insert(BookingSlot)
        .values(booked=1)
        .on_conflict_do_update(
            index_elements=["service_id", "starts_at"],
            set_={"booked": BookingSlot.booked + 1},
        )
        .returning(BookingSlot.booked)
    )


def take_place(session: Session, service_id: int, start: datetime) -> int:
    """Places taken in the slot, this one included; the row stays locked until commit."""
    statement = _take_place_statement(session.get_bind().dialect.name)
    return int(
        session.execute(statement, {"service_id": service_id, "starts_at": start}).scalar_one()
    )


def give_back_place(session: Session, service_id: int, start: datetime) -> None:
    session.execute(
        update(BookingSlot)
        .where(
            BookingSlot.service_id == service_id,
            BookingSlot.starts_at == start,
            BookingSlot.booked > 0,
        )
        .values(booked=BookingSlot.booked - 1)
    )
