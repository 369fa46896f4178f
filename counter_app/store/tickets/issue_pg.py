"""Issuing a ticket on PostgreSQL: everything that only reads first, then the daily number and
the ticket in one statement, then the journal.

Several server processes issue at once, and a prefix's daily number is one row
(``daily_counters``) whose lock every issuer of that prefix takes and holds until commit. Taken
first (as on SQLite, where writes are serialised anyway), it was held through the ticket
insert, the estimate's reads and Python, the journal append, the idempotency record and the
commit: the issuers of a prefix queued on it. Here it is taken by the statement that inserts
the ticket (``_NUMBER_AND_INSERT``, a CTE around the upsert), after the estimate has been
worked out, so it is held through that statement, the append, the idempotency record and the
commit only.

The people ahead stay exact for the prefix. The reads before see a snapshot: the tickets of
this prefix committed by then are counted there if they still wait, and the last number
given by then (``seen``) is read in the same statement. Numbers are handed out in commit
order (the row lock is held to commit, a rollback gives its number back), so the numbers
between ``seen`` and this ticket's are exactly the tickets issued and committed meanwhile:
they are ahead too. The wait of such a ticket (a race of a few milliseconds) is the closed
form for the corrected count rather than the queue played forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, bindparam, func, select, true
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.estimates import Estimate
from counter_app.core.forward_estimate import closed_form
from counter_app.core.states import TicketState
from counter_app.store.estimates import capacity, forecast_for, service_time_of
from counter_app.store.models import Branch, Counter, DailyCounter, Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.rows import TicketRow
from counter_app.store.types import UtcDateTime
from counter_app.store.upsert import insert_for

# The ticket's id before it has one: larger than any real id, so it sorts after the tickets
# issued at the same instant when the queue is played forward.
PROVISIONAL_ID = 2**62


def _number_key(key_name: str) -> Any:
    return (
        select(DailyCounter.last_number)
        .where(
            DailyCounter.branch_id == bindparam("branch_id"),
            DailyCounter.service_day == bindparam("day"),
            DailyCounter.prefix == bindparam(key_name, type_=String),
        )
        .scalar_subquery()
    )


# One read: is the branch training, how many of the service wait, the last numbers given.
_BEFORE = Prepared(
    select(
        select(Branch.training).where(Branch.id == bindparam("branch_id")).scalar_subquery(),
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.branch_id == bindparam("branch_id"),
            Ticket.state == TicketState.WAITING.value,
            Ticket.service_id == bindparam("service_id"),
            Ticket.service_day == bindparam("day"),
            Ticket.issued_at <= bindparam("now", type_=UtcDateTime()),
        )
        .scalar_subquery(),
        _number_key("prefix"),
        _number_key("training_prefix"),
    )
)

_COUNTER_TRAINS = Prepared(
    select(Counter.id)
    .where(
        Counter.branch_id == bindparam("branch_id"),
        Counter.officer_id == bindparam("user_id"),
        Counter.training.is_(True),
    )
    .limit(1)
)

_TICKET_FIELDS = [
    name for name in TicketRow.__dataclass_fields__ if name not in ("id", "number", "stored_state")
]


def _number_and_insert(dialect: str) -> Any:
    # Built at the first issue (always on PostgreSQL): a server on SQLite never loads the
    # PostgreSQL dialect.
    pg_insert = insert_for(dialect)
    table = Ticket.__table__
    number = (
        pg_insert(DailyCounter)
        .values(
            branch_id=bindparam("branch_id"),
            service_day=bindparam("service_day"),
            prefix=bindparam("number_key"),
            last_number=1,
            issued=1,
        )
        .on_conflict_do_update(
            index_elements=["branch_id", "service_day", "prefix"],
            set_={
                "last_number": DailyCounter.last_number + 1,
                "issued": DailyCounter.issued + 1,
            },
        )
        .returning(DailyCounter.last_number, DailyCounter.issued)
        .cte("n")
    )
    values = [bindparam(name, type_=table.c[name].type) for name in _TICKET_FIELDS]
    ticket = (
        pg_insert(Ticket)
        .from_select([*_TICKET_FIELDS, "number"], select(*values, number.c.last_number))
        .returning(Ticket.id)
        .cte("t")
    )
    return select(number.c.last_number, number.c.issued, ticket.c.id).select_from(
        number.join(ticket, true())
    )


# The number and the ticket in one statement: the number's row lock is taken here, last.
_NUMBER_AND_INSERT = Prepared(_number_and_insert)


@dataclass(frozen=True, slots=True)
class Before:
    """What the reads before the number found."""

    training: bool
    waiting: int  # tickets of the service waiting, issued no later than now
    seen: int  # the last number given for the ticket's numbering key


def read_before(
    session: Session,
    branch_id: int,
    service_id: int,
    day: date,
    prefix: str,
    training_prefix: str,
    actor: Actor,
    now: datetime,
) -> Before:
    row = _BEFORE.first(
        session,
        branch_id=branch_id,
        service_id=service_id,
        day=day,
        now=now,
        prefix=prefix,
        training_prefix=training_prefix,
    )
    assert row is not None
    branch_training, waiting, last, training_last = row
    training = bool(branch_training)
    if not training and actor.user_id is not None:
        training = (
            _COUNTER_TRAINS.scalar(session, branch_id=branch_id, user_id=actor.user_id) is not None
        )
    seen = training_last if training else last
    return Before(training, int(waiting or 0), int(seen or 0))


def number_and_insert(session: Session, ticket: TicketRow, number_key: str) -> int:
    """Give ``ticket`` its number and id and store it; how many were issued today with its
    key, this one included (for the quota)."""
    row = _NUMBER_AND_INSERT.first(
        session,
        number_key=number_key,
        **{name: getattr(ticket, name) for name in _TICKET_FIELDS},
    )
    assert row is not None
    ticket.number, issued, ticket.id = int(row[0]), int(row[1]), int(row[2])
    ticket.stored_state = ticket.state
    return issued


def provisional_estimate(
    session: Session, ticket: TicketRow, ahead: int, default_seconds: float, now: datetime
) -> Estimate:
    """The estimate of ``ticket`` (not yet stored, ``PROVISIONAL_ID``) from the reads before."""
    time = service_time_of(session, ticket.service_id, default_seconds, now)
    forecast = forecast_for(session, ticket, ahead, time, now)
    return Estimate(ahead, forecast.wait_seconds, forecast.low_seconds, forecast.high_seconds)


def settled_estimate(
    session: Session,
    estimate: Estimate,
    ticket: TicketRow,
    before: Before,
    default_seconds: float,
    now: datetime,
) -> Estimate:
    """The estimate once the ticket has its number: the tickets numbered between the last one
    seen before and this one were issued meanwhile, and are ahead of it too."""
    meanwhile = max(0, ticket.number - 1 - before.seen)
    if not meanwhile:
        return estimate
    ahead = estimate.ahead + meanwhile
    if estimate.wait_seconds is None:
        return Estimate(ahead, None)
    time = service_time_of(session, ticket.service_id, default_seconds, now)
    forecast = closed_form(ahead, time, capacity(session, ticket.service_id))
    return Estimate(ahead, forecast.wait_seconds, forecast.low_seconds, forecast.high_seconds)
