"""Inputs for ``core.estimates`` from the database: who is ahead, how long service takes,
which counters are open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from counter_app.core.estimates import (
    Estimate,
    estimate,
    service_capacity,
    typical_service_seconds,
)
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState
from counter_app.store.caches import caches_of
from counter_app.store.models import Counter, CounterService, Service, Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.rows import (
    ServiceRow,
    TicketRow,
    keeps_waiting_counts,
    waiting_count,
)
from counter_app.store.types import UtcDateTime

RECENT_SAMPLES = 30
RECENT_WINDOW = timedelta(days=7)


def recent_durations(session: Session, service_id: int, now: datetime) -> Sequence[float]:
    rows = session.execute(
        select(Ticket.called_at, Ticket.closed_at)
        .where(
            Ticket.service_id == service_id,
            Ticket.state == TicketState.DONE.value,
            Ticket.closed_at >= now - RECENT_WINDOW,
            Ticket.called_at.is_not(None),
        )
        .order_by(Ticket.closed_at.desc())
        .limit(RECENT_SAMPLES)
    ).all()
    return [(closed - called).total_seconds() for called, closed in rows if called and closed]


def capacity(session: Session, service_id: int) -> float:
    """Σ 1/k over the open counters that serve this service, k = services each serves."""
    # Estimates are estimates: inputs a few seconds old change nothing a citizen could
    # notice, and reading them once per issued ticket would cost more than the ticket itself.
    return caches_of(session).capacity.get(service_id, lambda: _read_capacity(session, service_id))


def _read_capacity(session: Session, service_id: int) -> float:
    serving = (
        select(CounterService.counter_id)
        .join(Counter, Counter.id == CounterService.counter_id)
        .where(CounterService.service_id == service_id, Counter.state == CounterState.OPEN.value)
    )
    counts = session.execute(
        select(func.count())
        .select_from(CounterService)
        .where(CounterService.counter_id.in_(serving))
        .group_by(CounterService.counter_id)
    ).scalars()
    return service_capacity(int(c) for c in counts)


def typical_seconds(session: Session, service: Service | ServiceRow, now: datetime) -> float:
    default = float(service.default_service_seconds)
    return caches_of(session).typical_seconds.get(
        service.id,
        lambda: typical_service_seconds(recent_durations(session, service.id, now), default),
    )


def forget_capacity(session: Session) -> None:
    """A counter opened or closed here: this process's next estimate sees it at once."""
    caches_of(session).capacity.clear()


def forget_typical(session: Session, service_id: int) -> None:
    """A ticket of this service finished here: its typical time may have moved."""
    caches_of(session).typical_seconds.forget(service_id)


_WAITING_IN_SERVICE = [
    Ticket.branch_id == bindparam("branch_id"),
    Ticket.state == TicketState.WAITING.value,
    Ticket.service_id == bindparam("service_id"),
    Ticket.service_day == bindparam("day"),
]
_AHEAD_OF = Prepared(
    select(func.count())
    .select_from(Ticket)
    .where(
        *_WAITING_IN_SERVICE,
        or_(
            Ticket.issued_at < bindparam("issued_at", type_=UtcDateTime()),
            and_(
                Ticket.issued_at == bindparam("issued_at", type_=UtcDateTime()),
                Ticket.id < bindparam("ticket_id"),
            ),
        ),
    )
)


def count_ahead(session: Session, ticket: Ticket | TicketRow, *, newest: bool = False) -> int:
    """Waiting tickets of the same service that arrived before this one (``newest``: the
    ticket was just issued, and its move into the queue is already written)."""
    if newest and keeps_waiting_counts(session):
        # Everyone else waiting for the service arrived earlier: the kept count, less itself.
        count = waiting_count(session, ticket.branch_id, ticket.service_day, ticket.service_id)
        return max(0, count - 1)
    found = _AHEAD_OF.scalar(
        session,
        branch_id=ticket.branch_id,
        service_id=ticket.service_id,
        day=ticket.service_day,
        ticket_id=ticket.id,
        issued_at=ticket.issued_at,
    )
    return int(found or 0)


def estimate_for(
    session: Session,
    ticket: Ticket | TicketRow,
    now: datetime,
    *,
    newest: bool = False,
    service: Service | ServiceRow | None = None,
) -> Estimate:
    """Position and wait of a waiting ticket; ``Estimate(0, None)`` once it is no longer waiting.
    ``service``: the ticket's service, when the caller has it at hand."""
    if ticket.state != TicketState.WAITING.value:
        return Estimate(0, None)
    if service is None:
        service = session.get(Service, ticket.service_id)
        assert service is not None
    return estimate(
        count_ahead(session, ticket, newest=newest),
        typical_seconds(session, service, now),
        capacity(session, service.id),
    )
