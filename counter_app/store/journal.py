"""The journal: append one event per state change; read events back in order.

Gap-free and in commit order, per branch: the sequence number comes from ``UPDATE
branch_sequences … RETURNING``, whose row lock is held until commit, so a second transaction
of the same branch waits for the first to commit before it can number its event; numbers are
therefore handed out in commit order and a rollback gives its number back. The lock is the
last one a transaction takes, after any ticket or daily-counter lock, so the lock order is
fixed and cannot deadlock.

How long the lock is held is what limits a branch's writes (every writer of the branch queues
on that one row), so it is taken as late as possible:

* **PostgreSQL** (several processes, worker threads): ``record`` only notes the event. When
  the session commits (``before_commit``), one statement numbers every noted event, writes
  the journal rows and sends the notices (``_WRITE_EVENTS``), and the commit follows at
  once: the lock lives for one statement and the commit, never across the Python work and
  round trips of the rest of the transaction. Asking a ``PendingEvent`` for its ``seq``
  before commit writes the noted events then (the lock is then held from there to commit).
* **SQLite**: writers are serialised anyway (one write connection), so the number is taken
  when the event is recorded, as before.

On PostgreSQL the event also goes out with ``pg_notify`` inside the same transaction: notices
are delivered only on commit, and in commit order, to every server process (server.broker).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.vocabulary import EventKind
from counter_app.store.models import BranchSequence, Event
from counter_app.store.prepared import Prepared, driver_connection

NOTIFY_CHANNEL = "counter_app_events"
# pg_notify payloads must stay under 8000 bytes; larger events are fetched from the journal.
NOTIFY_LIMIT = 7900
# Room left in a notice for the ``"seq":N,`` put in front of the rest of the event.
_SEQ_ROOM = 32


# Built once: constructing statements per request cost more than executing them.
_NEXT_SEQ = Prepared(
    update(BranchSequence)
    .where(BranchSequence.branch_id == bindparam("branch"))
    .values(last_seq=BranchSequence.last_seq + 1)
    .returning(BranchSequence.last_seq)
)
_EVENT_COLUMNS = (
    "branch_id",
    "seq",
    "kind",
    "at",
    "ticket_id",
    "counter_id",
    "user_id",
    "device_id",
    "payload",
)
_INSERT_EVENT = Prepared(insert(Event).values({name: bindparam(name) for name in _EVENT_COLUMNS}))

# PostgreSQL: number, write and announce a transaction's events of one branch in one
# statement. The events come as one JSON array in the order they were recorded; each
# carries its JSON body without the sequence number (``rest``: everything after the opening
# brace), which is put in front here, so the stored payload and the notice are the same
# text as a Python ``json.dumps`` of the whole body. Notices too large for ``pg_notify``
# (``big``) ask the listener to fetch the event from the journal instead.
_WRITE_EVENTS = """
WITH numbered AS (
    UPDATE branch_sequences SET last_seq = last_seq + %(count)s
    WHERE branch_id = %(branch)s
    RETURNING last_seq - %(count)s AS base
), noted AS (
    SELECT * FROM json_to_recordset(%(events)s::json) AS e(
        ord bigint, kind text, at timestamptz, ticket_id bigint, counter_id bigint,
        user_id bigint, device_id bigint, rest text, big boolean)
), written AS (
    INSERT INTO events
        (branch_id, seq, kind, at, ticket_id, counter_id, user_id, device_id, payload)
    SELECT %(branch)s, numbered.base + noted.ord, noted.kind, noted.at, noted.ticket_id,
           noted.counter_id, noted.user_id, noted.device_id,
           ('{"seq":' || (numbered.base + noted.ord) || ',' || noted.rest)::json
    FROM numbered, noted
    RETURNING seq, payload
)
SELECT written.seq, pg_notify(%(channel)s, CASE WHEN noted.big
    THEN '{"branch_id":' || %(branch)s || ',"seq":' || written.seq || ',"fetch":true}'
    ELSE written.payload::text END)
FROM written, numbered, noted
WHERE noted.ord = written.seq - numbered.base
ORDER BY written.seq
"""

_UNWRITTEN = "journal.unwritten"


class PendingEvent:
    """An event recorded in an open transaction, published once it commits.

    On PostgreSQL its number is given when the transaction commits; reading ``seq`` before
    that numbers the transaction's events at once (and holds the branch's lock from then on).
    """

    __slots__ = ("_seq", "_session", "branch_id", "data")

    def __init__(
        self, branch_id: int, seq: int | None, data: dict[str, Any], session: Session | None
    ) -> None:
        self.branch_id = branch_id
        self._seq = seq
        self._session = session
        self.data = data

    @property
    def seq(self) -> int:
        if self._seq is None:
            assert self._session is not None, "an event without a session has its number"
            write_unwritten(self._session)
        assert self._seq is not None
        return self._seq

    def _numbered(self, seq: int) -> None:
        self._seq = seq
        self._session = None
        self.data["seq"] = seq


class _Unwritten:
    """A recorded event whose journal row is not written yet (PostgreSQL)."""

    __slots__ = ("pending", "row")

    def __init__(self, pending: PendingEvent, row: dict[str, Any]) -> None:
        self.pending = pending
        self.row = row


def record(
    session: Session,
    *,
    branch_id: int,
    kind: EventKind,
    at: datetime,
    actor: Actor,
    ticket: dict[str, Any] | None = None,
    counter: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> PendingEvent:
    """Append an event. Call it after the transaction's other locks (see module doc)."""
    ticket_id = ticket["id"] if ticket else None
    counter_id = counter["id"] if counter else None
    rest: dict[str, Any] = {
        "kind": kind.value,
        "at": at.isoformat(),
        "branch_id": branch_id,
        "ticket": ticket,
        "counter": counter,
        "user_id": actor.user_id,
        "device_id": actor.device_id,
        "data": data or {},
    }
    if session.get_bind().dialect.name == "postgresql":
        return _note(session, branch_id, at, ticket_id, counter_id, actor, rest)
    seq = _NEXT_SEQ.scalar(session, branch=branch_id)
    body: dict[str, Any] = {"seq": seq, **rest}
    # A plain INSERT (no ORM object): the journal row is written once and never loaded back.
    _INSERT_EVENT.run(
        session,
        branch_id=branch_id,
        seq=seq,
        kind=kind.value,
        at=at,
        ticket_id=ticket_id,
        counter_id=counter_id,
        user_id=actor.user_id,
        device_id=actor.device_id,
        payload=body,
    )
    pending = PendingEvent(branch_id, seq, body, None)
    session.info.setdefault("events", []).append(pending)
    return pending


def _note(
    session: Session,
    branch_id: int,
    at: datetime,
    ticket_id: int | None,
    counter_id: int | None,
    actor: Actor,
    rest: dict[str, Any],
) -> PendingEvent:
    """PostgreSQL: keep the event for ``write_unwritten`` at commit."""
    if at.tzinfo is None:
        raise ValueError("naive datetime given to the journal")
    text = json.dumps(rest, separators=(",", ":"))[1:]
    pending = PendingEvent(branch_id, None, {"seq": None, **rest}, session)
    row = {
        "kind": rest["kind"],
        "at": at.astimezone(UTC).isoformat(),
        "ticket_id": ticket_id,
        "counter_id": counter_id,
        "user_id": actor.user_id,
        "device_id": actor.device_id,
        "rest": text,
        "big": len(text.encode()) + _SEQ_ROOM > NOTIFY_LIMIT,
    }
    session.info.setdefault(_UNWRITTEN, []).append(_Unwritten(pending, row))
    session.info.setdefault("events", []).append(pending)
    return pending


def write_unwritten(session: Session, *, commit: bool = False) -> None:
    """Number and write the events recorded so far in this transaction (PostgreSQL).

    One statement per branch, branches in a fixed order (the lowest id first) so two
    transactions that touch the same two branches cannot deadlock. ``commit``: send the
    ``COMMIT`` in the same round trip (psycopg pipeline), so the branch's lock is released
    as soon as the server has run the statement and made the commit durable, without
    waiting for this process to be scheduled again in between."""
    unwritten: list[_Unwritten] | None = session.info.pop(_UNWRITTEN, None)
    if not unwritten:
        return
    by_branch: dict[int, list[_Unwritten]] = {}
    for item in unwritten:
        by_branch.setdefault(item.pending.branch_id, []).append(item)
    driver = driver_connection(session)
    cursors = []
    with driver.pipeline():
        for branch_id in sorted(by_branch):
            items = by_branch[branch_id]
            rows = [{"ord": ord_, **item.row} for ord_, item in enumerate(items, start=1)]
            cursor = driver.cursor()
            cursors.append((branch_id, items, cursor))
            cursor.execute(
                _WRITE_EVENTS,
                {
                    "count": len(items),
                    "branch": branch_id,
                    "events": json.dumps(rows, separators=(",", ":")),
                    "channel": NOTIFY_CHANNEL,
                },
                prepare=True,
            )
        if commit:
            driver.commit()
    for branch_id, items, cursor in cursors:
        with cursor:
            numbers = [int(row[0]) for row in cursor.fetchall()]
        if len(numbers) != len(items):
            raise RuntimeError(f"branch {branch_id} has no journal sequence")
        for item, seq in zip(items, numbers, strict=True):
            item.pending._numbered(seq)


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    """The transaction's last statements: its other changes, then the journal and the commit.

    The commit is sent here, in the same round trip as the journal statement; the commit
    SQLAlchemy sends next finds the connection's transaction already ended and does nothing
    (psycopg's ``commit`` on an idle connection). A failed commit raises here, and the
    session rolls back as for any failed commit."""
    if not session.info.get(_UNWRITTEN):
        return
    # ORM changes are flushed after this hook: flush them first, so no lock is taken after
    # the branch's.
    session.flush()
    write_unwritten(
        session, commit=session.in_transaction() and not session.in_nested_transaction()
    )


@event.listens_for(Session, "after_transaction_end")
def _forget_unwritten(session: Session, transaction: Any) -> None:
    # A rolled-back transaction's events are never written (and have no number).
    if transaction.parent is None:
        session.info.pop(_UNWRITTEN, None)


def events_between(
    session: Session, branch_id: int, after_seq: int, up_to: int | None = None, limit: int = 1000
) -> Sequence[dict[str, Any]]:
    """Committed events with ``after_seq < seq <= up_to``, oldest first."""
    query = select(Event.payload).where(Event.branch_id == branch_id, Event.seq > after_seq)
    if up_to is not None:
        query = query.where(Event.seq <= up_to)
    return list(session.scalars(query.order_by(Event.seq).limit(limit)))


def last_seq(session: Session, branch_id: int) -> int:
    value = session.scalar(
        select(BranchSequence.last_seq).where(BranchSequence.branch_id == branch_id)
    )
    return int(value or 0)
