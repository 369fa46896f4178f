"""Reading the queue for the call policy: only the heads it can pick, in one query.

``core.policy.queue_heads`` defines the heads: the first transfer addressed to the counter, the
first due appointment, and the earliest arrival per (service, priority) among the rest. This
query returns exactly those with a window function, so a call costs the same with 20 or 20,000
tickets waiting.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session

from counter_app.core.policy import Candidate, CounterView, PolicySettings
from counter_app.core.states import TicketState
from counter_app.store.models import Ticket


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
    is_transfer = Ticket.target_counter_id == counter.counter_id
    is_due = and_(
        Ticket.target_counter_id.is_(None),
        Ticket.appointment_at.is_not(None),
        Ticket.appointment_at <= due_before,
    )
    category = case((is_transfer, literal("t")), (is_due, literal("a")), else_=literal("q"))
    in_queue = category == "q"
    rank = (
        func.row_number()
        .over(
            partition_by=(
                category,
                case((in_queue, Ticket.service_id), else_=literal(0)),
                case((in_queue, Ticket.priority), else_=false()),
            ),
            order_by=(
                case(
                    (is_transfer, Ticket.enqueued_at),
                    (is_due, Ticket.appointment_at),
                    else_=Ticket.issued_at,
                ),
                Ticket.issued_at,
                Ticket.id,
            ),
        )
        .label("rank")
    )
    eligible = or_(
        is_transfer,
        and_(Ticket.target_counter_id.is_(None), Ticket.service_id.in_(counter.service_ids)),
    )
    query = select(
        Ticket.id,
        Ticket.service_id,
        Ticket.issued_at,
        Ticket.enqueued_at,
        Ticket.priority,
        Ticket.target_counter_id,
        Ticket.appointment_at,
        rank,
    ).where(
        Ticket.branch_id == branch_id,
        Ticket.state == TicketState.WAITING.value,
        Ticket.service_day == day,
        eligible,
    )
    if exclude:
        query = query.where(Ticket.id.not_in(list(exclude)))
    ranked = query.subquery()
    rows = session.execute(select(ranked).where(ranked.c.rank == 1)).all()
    return [
        Candidate(
            ticket_id=row.id,
            service_id=row.service_id,
            issued_at=row.issued_at,
            enqueued_at=row.enqueued_at,
            priority=bool(row.priority),
            target_counter_id=row.target_counter_id,
            appointment_at=row.appointment_at,
        )
        for row in rows
    ]
