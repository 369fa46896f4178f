"""A counter's figures for today: what the officer sees at the bottom of their window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.core.reports import service_seconds
from counter_app.core.states import TicketState
from counter_app.schemas.office import CounterToday
from counter_app.store.models import Branch, Ticket
from counter_app.store.office import get_counter
from counter_app.store.tickets.common import today


def _epoch(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def counter_today(session: Session, counter_id: int, now: datetime) -> CounterToday:
    counter = get_counter(session, counter_id)
    branch = session.get(Branch, counter.branch_id)
    assert branch is not None
    day = today(branch, now)
    counts = dict(
        session.execute(
            select(Ticket.state, func.count())
            .where(Ticket.counter_id == counter_id, Ticket.service_day == day)
            .group_by(Ticket.state)
        ).all()
    )
    # The reports' definition (core.reports.service_seconds): from the start, or the call.
    durations = [
        seconds
        for started, called, closed in session.execute(
            select(Ticket.started_at, Ticket.called_at, Ticket.closed_at).where(
                Ticket.counter_id == counter_id,
                Ticket.service_day == day,
                Ticket.state == TicketState.DONE.value,
            )
        ).all()
        if (seconds := service_seconds(_epoch(started), _epoch(called), _epoch(closed))) is not None
    ]
    return CounterToday(
        counter_id=counter_id,
        service_day=day.isoformat(),
        served=int(counts.get(TicketState.DONE.value, 0)),
        no_show=int(counts.get(TicketState.NO_SHOW.value, 0)),
        transferred=int(counts.get(TicketState.TRANSFERRED.value, 0)),
        average_service_seconds=round(sum(durations) / len(durations)) if durations else None,
    )
