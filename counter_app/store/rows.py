"""Tickets, counters, services and branches as plain rows, for the ticket lifecycle.

Issuing, calling and finishing tickets are the server's hot path, so ``store.tickets`` works
on these rows through prepared statements (``store.prepared``) rather than on ORM objects: a
row is read with one statement, changed in Python, and written back with one. The ORM models
stay the schema and serve everything else (set-up, snapshots, reports).

Each row class has the same attribute names as its model, so the wire builders in
``store.serialize`` take either.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import not_found
from counter_app.core.states import TicketState
from counter_app.store.caches import caches_of
from counter_app.store.models import Branch, Counter, Service, Ticket, WaitingCount
from counter_app.store.prepared import Prepared
from counter_app.store.upsert import insert_for


@dataclass(slots=True)
class TicketRow:
    id: int
    branch_id: int
    service_id: int
    service_day: date
    prefix: str
    number: int
    code: str
    source: str
    priority: bool
    priority_class_id: int | None
    state: str
    counter_id: int | None
    target_counter_id: int | None
    officer_id: int | None
    issued_at: datetime
    enqueued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    closed_at: datetime | None
    call_count: int
    appointment_at: datetime | None
    front_at: datetime | None
    transferred_from_id: int | None
    note: str
    training: bool = False
    # The state as read from the database, to keep ``waiting_counts`` when it is saved.
    stored_state: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return f"Ticket {self.prefix}-{self.number:03d}"


@dataclass(slots=True)
class CounterRow:
    id: int
    branch_id: int
    number: int
    name: str
    state: str
    break_reason: str
    officer_id: int | None
    history_day: date | None
    history_priority: bool | None
    history_run: int
    training: bool = False


@dataclass(frozen=True, slots=True)
class ServiceRow:
    id: int
    branch_id: int
    prefix: str
    name: str
    active: bool
    default_service_seconds: int
    daily_quota: int | None


@dataclass(frozen=True, slots=True)
class BranchRow:
    id: int
    timezone: str
    priority_run: int
    regular_run: int
    multi_service_rule: str
    appointment_early_minutes: int


def _columns(model: type[Any], row: type[Any]) -> list[Any]:
    return [getattr(model, f.name) for f in fields(row) if f.name != "stored_state"]


_TICKET_COLUMNS = _columns(Ticket, TicketRow)
_COUNTER_COLUMNS = _columns(Counter, CounterRow)
_IS_OPEN: ColumnElement[bool] = or_(
    Ticket.state == TicketState.CALLED.value, Ticket.state == TicketState.SERVING.value
)

_TICKET = Prepared(select(*_TICKET_COLUMNS).where(Ticket.id == bindparam("id")))
_TICKET_LOCKED = Prepared(
    select(*_TICKET_COLUMNS).where(Ticket.id == bindparam("id")).with_for_update()
)
# Another counter may hold a waiting ticket in its own open transaction (PostgreSQL): skip it.
_WAITING_TICKET_UNLESS_LOCKED = Prepared(
    select(*_TICKET_COLUMNS)
    .where(Ticket.id == bindparam("id"), Ticket.state == TicketState.WAITING.value)
    .with_for_update(skip_locked=True)
)
_OPEN_TICKET_AT = Prepared(
    select(*_TICKET_COLUMNS)
    .where(Ticket.counter_id == bindparam("counter_id"), _IS_OPEN)
    .limit(1)
    .with_for_update()
)
_CHANGEABLE = (
    "state",
    "counter_id",
    "target_counter_id",
    "officer_id",
    "enqueued_at",
    "called_at",
    "started_at",
    "closed_at",
    "call_count",
    "front_at",
    "note",
)
_SAVE_TICKET = Prepared(
    update(Ticket)
    .where(Ticket.id == bindparam("ticket_id"))
    .values({name: bindparam(name) for name in _CHANGEABLE})
)
_FIELD_NAMES = [f.name for f in fields(TicketRow) if f.name != "stored_state"]
_NEW_TICKET_FIELDS = [name for name in _FIELD_NAMES if name != "id"]
_INSERT_TICKET = Prepared(
    insert(Ticket)
    .values({name: bindparam(name) for name in _NEW_TICKET_FIELDS})
    .returning(Ticket.id)
)

_COUNTER = Prepared(select(*_COUNTER_COLUMNS).where(Counter.id == bindparam("id")))
_COUNTER_LOCKED = Prepared(
    select(*_COUNTER_COLUMNS).where(Counter.id == bindparam("id")).with_for_update()
)
_SAVE_COUNTER_HISTORY = Prepared(
    update(Counter)
    .where(Counter.id == bindparam("counter_id"))
    .values(
        history_day=bindparam("history_day"),
        history_priority=bindparam("history_priority"),
        history_run=bindparam("history_run"),
    )
)
_SERVICE = Prepared(select(*_columns(Service, ServiceRow)).where(Service.id == bindparam("id")))
_BRANCH = Prepared(select(*_columns(Branch, BranchRow)).where(Branch.id == bindparam("id")))
_SERVICE_FIELDS = len(fields(ServiceRow))
_SERVICE_AND_BRANCH = Prepared(
    select(*_columns(Service, ServiceRow), *_columns(Branch, BranchRow))
    .join(Branch, Branch.id == Service.branch_id)
    .where(Service.id == bindparam("id"))
)


# --- tickets ---------------------------------------------------------------------------------


def _loaded(found: tuple[Any, ...] | None) -> TicketRow | None:
    if found is None:
        return None
    row = TicketRow(*found)
    row.stored_state = row.state
    return row


def find_ticket(session: Session, ticket_id: int, *, lock: bool = False) -> TicketRow | None:
    return _loaded((_TICKET_LOCKED if lock else _TICKET).first(session, id=ticket_id))


def lock_ticket(session: Session, ticket_id: int) -> TicketRow:
    """The ticket, locked for this transaction (PostgreSQL), or a 404."""
    ticket = find_ticket(session, ticket_id, lock=True)
    if ticket is None:
        raise not_found(ErrorCode.TICKET_NOT_FOUND, ticket_id)
    return ticket


def lock_waiting_ticket(session: Session, ticket_id: int) -> TicketRow | None:
    """The ticket if it is still waiting and no other transaction holds it."""
    return _loaded(_WAITING_TICKET_UNLESS_LOCKED.first(session, id=ticket_id))


def open_ticket_at(session: Session, counter_id: int) -> TicketRow | None:
    """The counter's called or in-service ticket, locked."""
    return _loaded(_OPEN_TICKET_AT.first(session, counter_id=counter_id))


def save_ticket(session: Session, ticket: TicketRow) -> None:
    _SAVE_TICKET.run(
        session, ticket_id=ticket.id, **{name: getattr(ticket, name) for name in _CHANGEABLE}
    )
    _count_waiting(session, ticket, ticket.stored_state)


def insert_ticket(session: Session, ticket: TicketRow) -> TicketRow:
    """Store a new ticket (its ``id`` is ignored) and return it with the id it was given."""
    values = {name: getattr(ticket, name) for name in _NEW_TICKET_FIELDS}
    ticket.id = int(_INSERT_TICKET.scalar(session, **values))
    _count_waiting(session, ticket, None)
    return ticket


# --- how many wait ---------------------------------------------------------------------------
#
# SQLite only. A move into or out of ``waiting`` is noted on the session and written by
# ``apply_waiting_changes`` just before the operation journals its event. On PostgreSQL several
# server processes would queue on one row per service, and an operation that journals two
# events (finish, then call) would take that row's lock after the journal's sequence lock,
# which must be the last (store.journal): two processes deadlocked that way. There the queue
# is counted instead (store.estimates).


_WAITING = TicketState.WAITING.value
_PENDING = "waiting_changes"
_WRITTEN = "waiting_written"


def keeps_waiting_counts(session: Session) -> bool:
    return bool(session.get_bind().dialect.name == "sqlite")


def _count_waiting(session: Session, ticket: TicketRow, before: str | None) -> None:
    delta = (ticket.state == _WAITING) - (before == _WAITING)
    ticket.stored_state = ticket.state
    if delta and keeps_waiting_counts(session):
        pending: dict[tuple[int, date, int], int] = session.info.setdefault(_PENDING, {})
        key = (ticket.branch_id, ticket.service_day, ticket.service_id)
        pending[key] = pending.get(key, 0) + delta


def _add_waiting_statement(dialect: str) -> Any:
    insert_ = insert_for(dialect)
    return (
        insert_(WaitingCount)
        .values(
            branch_id=bindparam("branch_id"),
            service_day=bindparam("service_day"),
            service_id=bindparam("service_id"),
            waiting=bindparam("delta"),
        )
        .on_conflict_do_update(
            index_elements=["branch_id", "service_day", "service_id"],
            set_={"waiting": WaitingCount.waiting + bindparam("delta")},
        )
        .returning(WaitingCount.waiting)
    )


_ADD_WAITING = Prepared(_add_waiting_statement)
_WAITING_COUNT = Prepared(
    select(WaitingCount.waiting).where(
        WaitingCount.branch_id == bindparam("branch_id"),
        WaitingCount.service_day == bindparam("service_day"),
        WaitingCount.service_id == bindparam("service_id"),
    )
)


def apply_waiting_changes(session: Session) -> None:
    """Write the moves into and out of ``waiting`` noted in this transaction."""
    pending: dict[tuple[int, date, int], int] | None = session.info.pop(_PENDING, None)
    written: dict[tuple[int, date, int], int] = session.info.setdefault(_WRITTEN, {})
    for key, delta in sorted((pending or {}).items()):
        if delta:
            branch_id, day, service_id = key
            written[key] = int(
                _ADD_WAITING.scalar(
                    session,
                    branch_id=branch_id,
                    service_day=day,
                    service_id=service_id,
                    delta=delta,
                )
            )


def waiting_count(session: Session, branch_id: int, day: date, service_id: int) -> int:
    """Tickets of the service waiting on that day (SQLite, after ``apply_waiting_changes``)."""
    key = (branch_id, day, service_id)
    written: dict[tuple[int, date, int], int] = session.info.get(_WRITTEN, {})
    if key in written:  # this transaction just wrote it
        return written[key]
    found = _WAITING_COUNT.scalar(
        session, branch_id=branch_id, service_day=day, service_id=service_id
    )
    return int(found or 0)


# --- counters, services, branches ------------------------------------------------------------


def find_counter(session: Session, counter_id: int, *, lock: bool = False) -> CounterRow | None:
    found = (_COUNTER_LOCKED if lock else _COUNTER).first(session, id=counter_id)
    return CounterRow(*found) if found is not None else None


def save_counter_history(session: Session, counter: CounterRow) -> None:
    _SAVE_COUNTER_HISTORY.run(
        session,
        counter_id=counter.id,
        history_day=counter.history_day,
        history_priority=counter.history_priority,
        history_run=counter.history_run,
    )


def find_service(session: Session, service_id: int) -> ServiceRow | None:
    found = _SERVICE.first(session, id=service_id)
    return ServiceRow(*found) if found is not None else None


def find_service_and_branch(
    session: Session, service_id: int
) -> tuple[ServiceRow, BranchRow] | None:
    """A service with its branch, in one read (issuing a ticket needs both)."""
    found = _SERVICE_AND_BRANCH.first(session, id=service_id)
    if found is None:
        return None
    return ServiceRow(*found[:_SERVICE_FIELDS]), BranchRow(*found[_SERVICE_FIELDS:])


def find_branch(session: Session, branch_id: int) -> BranchRow:
    """A branch's settings are set up once and read by every call: kept for a few seconds
    like the rest of the set-up (``StoreCaches.branches``)."""

    def load() -> BranchRow | None:
        found = _BRANCH.first(session, id=branch_id)
        return BranchRow(*found) if found is not None else None

    branch = caches_of(session).branches.get(branch_id, load)
    if branch is None:
        raise not_found(ErrorCode.BRANCH_NOT_FOUND, branch_id)
    return branch
