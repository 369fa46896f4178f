"""Closing the tickets a past service day left open (run by the sweeper)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.states import OPEN_STATES, Action
from counter_app.store.models import Branch, Ticket
from counter_app.store.rows import (
    find_ticket,
)
from counter_app.store.tickets.common import (
    close_ticket,
    today,
)


def expire_past_days(session: Session, branch: Branch, now: datetime, actor: Actor) -> int:
    """Close every ticket still open from an earlier service day as ``expired``."""
    day = today(branch, now)
    ids = list(
        session.scalars(
            select(Ticket.id)
            .where(
                Ticket.branch_id == branch.id,
                Ticket.service_day < day,
                Ticket.state.in_([s.value for s in OPEN_STATES]),
            )
            .order_by(Ticket.id)
            .with_for_update(skip_locked=True)
        )
    )
    for ticket_id in ids:
        ticket = find_ticket(session, ticket_id)
        assert ticket is not None
        close_ticket(session, ticket, Action.EXPIRE, actor, now)
    return len(ids)
