"""Reading the queue for the call policy: only the heads it can pick, in one statement.

``core.policy.queue_heads`` defines the heads: the first transfer addressed to the counter, the
first due appointment, and the earliest arrival per (service, priority) among the rest. Each
head is one ``ORDER BY … LIMIT 1`` probe along an index, and the probes go to the database as
one ``UNION ALL``, so a call costs the same with 20 or 20,000 tickets waiting.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, literal, or_, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from counter_app.core.policy import Candidate, CounterView, PolicySettings
from counter_app.core.states import TicketState
from counter_app.store.models import Ticket

_ColumnArg = ColumnElement[Any] | InstrumentedAttribute[Any]
_COLUMNS = (
    Ticket.id,
    Ticket.service_id,
    Ticket.issued_at,
    Ticket.enqueued_at,
    Ticket.priority,
    Ticket.target_counter_id,
    Ticket.appointment_at,
)


def fetch_heads(
    session: Session,
    *,
    branch_id: int,
    day: date,
    counter: CounterView,
    settings: PolicySettings,
    now: datetime,
    exclude: Collection[int] = (),
) -> list[Candidate]:
    due_before = now + settings.appointment_early
    waiting: list[ColumnElement[bool]] = [
        Ticket.branch_id == branch_id,
        Ticket.state == TicketState.WAITING.value,
        Ticket.service_day == day,
    ]
    if exclude:
        waiting.append(Ticket.id.not_in(list(exclude)))
    untargeted = Ticket.target_counter_id.is_(None)
    is_due = and_(Ticket.appointment_at.is_not(None), Ticket.appointment_at <= due_before)

    def head(*where: ColumnElement[bool], order: tuple[_ColumnArg, ...]) -> Select[Any]:
        probe = select(*_COLUMNS).where(*waiting, *where).order_by(*order).limit(1).subquery()
        return select(*probe.c)

    probes = [
        head(Ticket.target_counter_id == counter.counter_id, order=(Ticket.enqueued_at, Ticket.id)),
        head(
            untargeted,
            is_due,
            Ticket.service_id.in_(counter.service_ids),
            order=(Ticket.appointment_at, Ticket.issued_at, Ticket.id),
        ),
    ]
    not_due = or_(Ticket.appointment_at.is_(None), Ticket.appointment_at > due_before)
    for service_id in counter.service_ids:
        for priority in (True, False):
            probes.append(
                head(
                    Ticket.service_id == service_id,
                    Ticket.priority == literal(priority),
                    untargeted,
                    not_due,
                    order=(Ticket.issued_at, Ticket.id),
                )
            )
    rows = session.execute(union_all(*probes)).all()
    return [
        Candidate(
            ticket_id=row[0],
            service_id=row[1],
            issued_at=row[2],
            enqueued_at=row[3],
            priority=bool(row[4]),
            target_counter_id=row[5],
            appointment_at=row[6],
        )
        for row in rows
    ]
