"""Inputs for ``core.estimates`` and ``core.forward_estimate`` from the database: who is
waiting, how long service takes, which counters are open and what they are busy with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from counter_app.core.estimates import (
    Estimate,
    service_capacity,
    typical_service_seconds,
)
from counter_app.core.forward_estimate import (
    NO_FORECAST,
    Forecast,
    OpenCounter,
    ServiceTime,
    closed_form,
    forecast_wait,
    service_time,
)
from counter_app.core.policy import (
    CallHistory,
    Candidate,
    CounterView,
    MultiServiceRule,
    PolicySettings,
    is_eligible,
)
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState
from counter_app.store.caches import caches_of
from counter_app.store.models import Counter, CounterService, Service, Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.queue import CANDIDATE_COLUMNS, candidate_of
from counter_app.store.rows import (
    BranchRow,
    ServiceRow,
    TicketRow,
    find_branch,
    keeps_waiting_counts,
    waiting_count,
)
from counter_app.store.serialize import counter_service_ids
from counter_app.store.types import UtcDateTime

RECENT_SAMPLES = 30
RECENT_WINDOW = timedelta(days=7)
# Beyond this many people ahead the queue is not played forward (it would cost more than the
# ticket itself); the closed form is used, with the same kind of range.
FORWARD_AHEAD_LIMIT = 150
# Waiting tickets read for the forward play, oldest first: later ones can only jump ahead
# as priority tickets, and a queue this long takes the closed form anyway.
FORWARD_WAITING_LIMIT = 600


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


def service_time_of(
    session: Session, service_id: int, default_seconds: float, now: datetime
) -> ServiceTime:
    """Typical time and spread of a service (cached for a few seconds, like the typical)."""

    def load() -> ServiceTime:
        return service_time(recent_durations(session, service_id, now), default_seconds)

    return caches_of(session).service_times.get(service_id, load)


def forget_capacity(session: Session) -> None:
    """A counter opened or closed here: this process's next estimate sees it at once."""
    caches_of(session).capacity.clear()


def forget_typical(session: Session, service_id: int) -> None:
    """A ticket of this service finished here: its typical time may have moved."""
    caches_of(session).typical_seconds.forget(service_id)
    caches_of(session).service_times.forget(service_id)


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


_WAITING_IN_BRANCH = Prepared(
    select(*CANDIDATE_COLUMNS)
    .where(
        Ticket.branch_id == bindparam("branch_id"),
        Ticket.service_day == bindparam("day"),
        Ticket.state == TicketState.WAITING.value,
    )
    .order_by(Ticket.issued_at, Ticket.id)
    .limit(FORWARD_WAITING_LIMIT)
)
_OPEN_COUNTERS = Prepared(
    select(Counter.id, Counter.history_day, Counter.history_priority, Counter.history_run)
    .where(Counter.branch_id == bindparam("branch_id"), Counter.state == CounterState.OPEN.value)
    .order_by(Counter.number)
)
_HELD_TICKETS = Prepared(
    select(Ticket.counter_id, Ticket.service_id, Ticket.called_at).where(
        Ticket.branch_id == bindparam("branch_id"),
        Ticket.service_day == bindparam("day"),
        or_(
            Ticket.state == TicketState.CALLED.value,
            Ticket.state == TicketState.SERVING.value,
        ),
    )
)


def _waiting_candidates(session: Session, branch_id: int, day: date) -> list[Candidate]:
    return [
        candidate_of(row) for row in _WAITING_IN_BRANCH.rows(session, branch_id=branch_id, day=day)
    ]


def _open_counters(session: Session, branch_id: int, day: date, now: datetime) -> list[OpenCounter]:
    held = {
        row[0]: (row[1], row[2])
        for row in _HELD_TICKETS.rows(session, branch_id=branch_id, day=day)
        if row[0] is not None
    }
    counters: list[OpenCounter] = []
    for counter_id, history_day, last_priority, run in _OPEN_COUNTERS.rows(
        session, branch_id=branch_id
    ):
        history = CallHistory(last_priority, run) if history_day == day else CallHistory()
        view = CounterView(counter_id, tuple(counter_service_ids(session, counter_id)))
        busy_service, called_at = held.get(counter_id, (None, None))
        elapsed = (now - called_at).total_seconds() if called_at is not None else 0.0
        counters.append(OpenCounter(view, history, busy_service, elapsed))
    return counters


def _service_times(
    session: Session, service_ids: set[int], now: datetime
) -> dict[int, ServiceTime]:
    found = session.execute(
        select(Service.id, Service.default_service_seconds).where(Service.id.in_(service_ids))
    ).all()
    return {
        int(sid): service_time_of(session, int(sid), float(default), now) for sid, default in found
    }


ARRIVAL_WINDOW = timedelta(hours=1)
_PRIORITY_ISSUED = Prepared(
    select(Ticket.service_id, func.count())
    .where(
        Ticket.branch_id == bindparam("branch_id"),
        Ticket.priority.is_(True),
        Ticket.issued_at >= bindparam("since", type_=UtcDateTime()),
        Ticket.transferred_from_id.is_(None),
    )
    .group_by(Ticket.service_id)
)


def priority_rates(session: Session, branch_id: int, now: datetime) -> dict[int, float]:
    """Priority tickets issued per second in the last hour, per service (cached briefly):
    the ones still to come will go ahead of a regular ticket."""

    def load() -> dict[int, float]:
        rows = _PRIORITY_ISSUED.rows(session, branch_id=branch_id, since=now - ARRIVAL_WINDOW)
        seconds = ARRIVAL_WINDOW.total_seconds()
        return {int(service_id): int(count) / seconds for service_id, count in rows}

    return caches_of(session).priority_rates.get(branch_id, load)


def forecast_for(
    session: Session,
    ticket: Ticket | TicketRow,
    ahead: int,
    time: ServiceTime,
    now: datetime,
) -> Forecast:
    """Play the branch's queue forward with the real call policy (``core.forward_estimate``);
    the closed form for long queues."""
    if ticket.target_counter_id is None and capacity(session, ticket.service_id) <= 0:
        return NO_FORECAST  # no open counter serves it (known without reading the queue)
    if ahead <= FORWARD_AHEAD_LIMIT:
        target = Candidate(
            ticket_id=ticket.id,
            service_id=ticket.service_id,
            issued_at=ticket.issued_at,
            enqueued_at=ticket.enqueued_at,
            priority=bool(ticket.priority),
            target_counter_id=ticket.target_counter_id,
            appointment_at=ticket.appointment_at,
            front_at=ticket.front_at,
        )
        counters = _open_counters(session, ticket.branch_id, ticket.service_day, now)
        if not any(is_eligible(target, c.view) for c in counters):
            return NO_FORECAST  # no open counter will call it: no number is honest
        waiting = _waiting_candidates(session, ticket.branch_id, ticket.service_day)
        if not any(w.ticket_id == ticket.id for w in waiting):
            waiting.append(target)
        service_ids = {w.service_id for w in waiting}
        service_ids.update(c.busy_service_id for c in counters if c.busy_service_id is not None)
        times = _service_times(session, service_ids, now)
        times[ticket.service_id] = time
        branch = find_branch(session, ticket.branch_id)
        rates = {} if ticket.priority else priority_rates(session, ticket.branch_id, now)
        forecast = forecast_wait(
            ticket.id, waiting, counters, times, policy_settings(branch), now, rates
        )
        if forecast is not None:
            return forecast
    return closed_form(ahead, time, capacity(session, ticket.service_id))


def policy_settings(branch: BranchRow) -> PolicySettings:
    return PolicySettings(
        priority_run=branch.priority_run,
        regular_run=branch.regular_run,
        multi_service_rule=MultiServiceRule(branch.multi_service_rule),
        appointment_early=timedelta(minutes=branch.appointment_early_minutes),
    )


def estimate_for(
    session: Session,
    ticket: Ticket | TicketRow,
    now: datetime,
    *,
    newest: bool = False,
    service: Service | ServiceRow | None = None,
) -> Estimate:
    """Position, wait and its range of a waiting ticket; ``Estimate(0, None)`` once it is no
    longer waiting. ``service``: the ticket's service, when the caller has it at hand."""
    if ticket.state != TicketState.WAITING.value:
        return Estimate(0, None)
    if service is None:
        service = session.get(Service, ticket.service_id)
        assert service is not None
    ahead = count_ahead(session, ticket, newest=newest)
    time = service_time_of(session, service.id, float(service.default_service_seconds), now)
    forecast = forecast_for(session, ticket, ahead, time, now)
    return Estimate(ahead, forecast.wait_seconds, forecast.low_seconds, forecast.high_seconds)
