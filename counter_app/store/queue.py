"""Reading the queue for the call policy: only the heads it can pick, in one statement.

``core.policy.queue_heads`` defines the heads: the first transfer addressed to the counter, the
latest ticket moved to the front by a supervisor, the first due appointment, and the earliest
arrival per (service, priority) among the rest. Each head is one ``ORDER BY … LIMIT 1`` probe
along an index, and the probes go to the database as one ``UNION ALL``, so a call costs the same
with 20 or 20,000 tickets waiting.

The statement depends only on how many services the counter has (and how many tickets another
counter holds at that moment, almost always none), so it is built and compiled once per size
with bound parameters (``store.prepared``): building it anew for every call cost more than
running it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from counter_app.core.policy import Candidate, CounterView, PolicySettings
from counter_app.core.states import TicketState
from counter_app.store.models import Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.types import UtcDateTime

_ColumnArg = ColumnElement[Any] | InstrumentedAttribute[Any]
# What a waiting ticket is to the calling policy: select these, read a row with candidate_of.
CANDIDATE_COLUMNS = (
    Ticket.id,
    Ticket.service_id,
    Ticket.issued_at,
    Ticket.enqueued_at,
    Ticket.priority,
    Ticket.target_counter_id,
    Ticket.appointment_at,
    Ticket.front_at,
)


def candidate_of(row: Sequence[Any]) -> Candidate:
    """A row of ``CANDIDATE_COLUMNS`` as the calling policy's ``Candidate``."""
    return Candidate(
        ticket_id=row[0],
        service_id=row[1],
        issued_at=row[2],
        enqueued_at=row[3],
        priority=bool(row[4]),
        target_counter_id=row[5],
        appointment_at=row[6],
        front_at=row[7],
    )


@cache
def _heads_statement(service_count: int, exclude_count: int) -> Prepared:
    due_before = bindparam("due_before", type_=UtcDateTime())
    service_ids: list[BindParameter[Any]] = [
        bindparam(f"service_{index}") for index in range(service_count)
    ]
    in_branch = Ticket.branch_id == bindparam("branch_id")
    waiting: list[ColumnElement[bool]] = [
        Ticket.state == TicketState.WAITING.value,
        Ticket.service_day == bindparam("day"),
        # A training counter calls training tickets only, a real one real tickets only.
        Ticket.training == bindparam("training"),
    ]
    if exclude_count:
        waiting.append(
            Ticket.id.not_in([bindparam(f"exclude_{index}") for index in range(exclude_count)])
        )
    untargeted = Ticket.target_counter_id.is_(None)
    not_front = Ticket.front_at.is_(None)
    is_due = and_(Ticket.appointment_at.is_not(None), Ticket.appointment_at <= due_before)
    not_due = or_(Ticket.appointment_at.is_(None), Ticket.appointment_at > due_before)

    def head(*where: ColumnElement[bool], order: tuple[_ColumnArg, ...]) -> Select[Any]:
        probe = (
            select(*CANDIDATE_COLUMNS).where(*waiting, *where).order_by(*order).limit(1).subquery()
        )
        return select(*probe.c)

    probes = [
        # Transfers addressed to this counter. No branch condition (the counter is the
        # branch's): with one, SQLite, having no statistics, preferred an index on
        # (branch_id, state) and walked the whole waiting queue to find the few.
        head(
            Ticket.target_counter_id == bindparam("counter_id"),
            order=(Ticket.enqueued_at, Ticket.id),
        ),
        head(
            in_branch,
            untargeted,
            Ticket.front_at.is_not(None),
            Ticket.service_id.in_(service_ids),
            order=(Ticket.front_at.desc(), Ticket.id),
        ),
        head(
            in_branch,
            untargeted,
            not_front,
            is_due,
            Ticket.service_id.in_(service_ids),
            order=(Ticket.appointment_at, Ticket.issued_at, Ticket.id),
        ),
    ]
    for index in range(service_count):
        for priority in (True, False):
            probes.append(
                head(
                    in_branch,
                    Ticket.service_id == bindparam(f"service_{index}"),
                    Ticket.priority == literal(priority),
                    untargeted,
                    not_front,
                    not_due,
                    order=(Ticket.issued_at, Ticket.id),
                )
            )
    return Prepared(union_all(*probes))


def fetch_heads(
    session: Session,
    *,
    branch_id: int,
    day: date,
    counter: CounterView,
    settings: PolicySettings,
    now: datetime,
    exclude: Collection[int] = (),
    training: bool = False,
) -> list[Candidate]:
    params: dict[str, Any] = {
        "training": training,
        "branch_id": branch_id,
        "day": day,
        "counter_id": counter.counter_id,
        "due_before": now + settings.appointment_early,
    }
    for index, service_id in enumerate(counter.service_ids):
        params[f"service_{index}"] = service_id
    # Tickets other counters hold go in a list padded to a power of two (with id 0, which no
    # ticket has), so a busy PostgreSQL office builds a handful of statements, not one per
    # length: building one cost more than the race it resolves.
    held = list(exclude)
    size = 1 << (len(held) - 1).bit_length() if held else 0
    held += [0] * (size - len(held))
    for index, ticket_id in enumerate(held):
        params[f"exclude_{index}"] = ticket_id
    statement = _heads_statement(len(counter.service_ids), size)
    rows = statement.rows(session, **params)
    return [candidate_of(row) for row in rows]
