"""The journal: append one event per state change; read events back in order.

Gap-free and in commit order, per branch: the sequence number is taken as the *last* statement
of the transaction with ``UPDATE branch_sequences … RETURNING``. The row lock that UPDATE takes
is held until commit, so a second transaction of the same branch waits for the first to commit
before it can number its event; numbers are therefore handed out in commit order and a
rollback gives its number back. (On SQLite the whole write is serialised anyway.) Taking it
last keeps the lock short, and always after any ticket or daily-counter lock, so the lock order
is fixed and cannot deadlock.

On PostgreSQL the event also goes out with ``pg_notify`` inside the same transaction: notices
are delivered only on commit, and in commit order, to every server process (server.broker).
There the number, the row and the notice are one statement (``_APPEND_PG``), so the lock is
taken and the event written in a single round trip.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, String, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.vocabulary import EventKind
from counter_app.store.models import BranchSequence, Event
from counter_app.store.prepared import Prepared

NOTIFY_CHANNEL = "counter_app_events"
# pg_notify payloads must stay under 8000 bytes; larger events are fetched from the journal.
NOTIFY_LIMIT = 7900


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

# PostgreSQL: number, write and announce the event in one statement. The sequence's row lock
# is then taken by the statement that needs it and held only until COMMIT, with no round trip
# in between: while the holder's Python was between statements (or waiting for the GIL) every
# other writer of the branch queued on that lock. The body is serialised in Python without
# its number ("rest": everything after ``{"seq":N,``) and completed here, so the stored row and
# the notice are the same text the old three statements produced.
_APPEND_PG = Prepared(
    text(
        """
WITH s AS (
    UPDATE branch_sequences SET last_seq = last_seq + 1
    WHERE branch_id = :branch RETURNING last_seq
), b AS (
    SELECT last_seq AS seq, '{"seq":' || last_seq || ',' || CAST(:rest AS text) AS body FROM s
), e AS (
    INSERT INTO events (branch_id, seq, kind, at, ticket_id, counter_id, user_id, device_id,
                        payload)
    SELECT :branch, seq, :kind, :at, :ticket_id, :counter_id, :user_id, :device_id,
           CAST(body AS json)
    FROM b
)
SELECT seq, pg_notify(:channel, CASE WHEN :fetch
    THEN '{"branch_id":' || CAST(:branch AS text) || ',"seq":' || seq || ',"fetch"\\:true}'
    ELSE body END)
FROM b
"""
    )
    .bindparams(
        bindparam("branch", type_=BigInteger),
        bindparam("rest", type_=String),
        bindparam("kind", type_=String),
        bindparam("at", type_=Event.__table__.c.at.type),
        bindparam("ticket_id", type_=BigInteger),
        bindparam("counter_id", type_=BigInteger),
        bindparam("user_id", type_=BigInteger),
        bindparam("device_id", type_=BigInteger),
        bindparam("channel", type_=String),
        bindparam("fetch", type_=Boolean),
    )
    .columns(seq=BigInteger, notified=String)
)
_SEQ_PREFIX = '{"seq":0,'


class PendingEvent:
    """An event recorded in an open transaction, published once it commits."""

    __slots__ = ("branch_id", "data", "seq")

    def __init__(self, branch_id: int, seq: int, data: dict[str, Any]) -> None:
        self.branch_id = branch_id
        self.seq = seq
        self.data = data


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
    """Append an event. Call it as the last write of the transaction (see module doc)."""
    body: dict[str, Any] = {
        "seq": 0,
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
        return _append_postgresql(session, branch_id, kind, at, actor, body)
    seq = body["seq"] = _NEXT_SEQ.scalar(session, branch=branch_id)
    # A plain INSERT (no ORM object): the journal row is written once and never loaded back.
    _INSERT_EVENT.run(
        session,
        branch_id=branch_id,
        seq=seq,
        kind=kind.value,
        at=at,
        ticket_id=ticket["id"] if ticket else None,
        counter_id=counter["id"] if counter else None,
        user_id=actor.user_id,
        device_id=actor.device_id,
        payload=body,
    )
    pending = PendingEvent(branch_id, seq, body)
    session.info.setdefault("events", []).append(pending)
    return pending


def _append_postgresql(
    session: Session,
    branch_id: int,
    kind: EventKind,
    at: datetime,
    actor: Actor,
    body: dict[str, Any],
) -> PendingEvent:
    text_ = json.dumps(body, separators=(",", ":"))
    assert text_.startswith(_SEQ_PREFIX)
    ticket, counter = body["ticket"], body["counter"]
    row = _APPEND_PG.first(
        session,
        branch=branch_id,
        rest=text_[len(_SEQ_PREFIX) :],
        kind=kind.value,
        at=at,
        ticket_id=ticket["id"] if ticket else None,
        counter_id=counter["id"] if counter else None,
        user_id=actor.user_id,
        device_id=actor.device_id,
        channel=NOTIFY_CHANNEL,
        # The number adds at most 19 digits to the text.
        fetch=len(text_) + 19 > NOTIFY_LIMIT,
    )
    assert row is not None, f"branch {branch_id} has no sequence row"
    seq = body["seq"] = int(row[0])
    pending = PendingEvent(branch_id, seq, body)
    session.info.setdefault("events", []).append(pending)
    return pending


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
