"""What one journal append writes: the stored payload is the event's body with its number, and
on PostgreSQL the notice carries the same text, or a pointer to the row when it is too long
for ``pg_notify``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import select
from sqlalchemy.engine import make_url

from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import EventKind
from counter_app.store import journal
from counter_app.store.db import Database
from counter_app.store.models import Branch, Event
from tests.conftest import OfficeTemplate


def _notices(url: str) -> psycopg.Connection[Any]:
    parts = make_url(url)
    connection = psycopg.connect(
        host=parts.host,
        port=parts.port,
        user=parts.username,
        dbname=parts.database,
        autocommit=True,
    )
    connection.execute(f"LISTEN {journal.NOTIFY_CHANNEL}")
    return connection


def test_the_stored_event_and_its_notice_match_the_body(office_db: OfficeTemplate) -> None:
    db = Database(office_db.url)
    listener = None if db.is_sqlite else _notices(db.url)
    try:
        with db.read() as session:
            branch_id = int(session.scalars(select(Branch.id)).first() or 0)
            start = journal.last_seq(session, branch_id)
        at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
        small = {"note": "Antrian \u00e9 \"kutip\" :true, 'petik'"}
        large = {"note": "x" * (journal.NOTIFY_LIMIT + 100)}
        with db.write() as session:
            first = journal.record(
                session, branch_id=branch_id, kind=EventKind.SETUP_CHANGED, at=at,
                actor=ANONYMOUS, data=small,
            )  # fmt: skip
            second = journal.record(
                session, branch_id=branch_id, kind=EventKind.SETUP_CHANGED, at=at,
                actor=ANONYMOUS, data=large,
            )  # fmt: skip
        assert (first.seq, second.seq) == (start + 1, start + 2)
        assert first.data["seq"] == first.seq and second.data["seq"] == second.seq
        assert next(iter(first.data)) == "seq"
        with db.read() as session:
            rows = session.execute(
                select(Event.seq, Event.kind, Event.at, Event.payload)
                .where(Event.branch_id == branch_id, Event.seq > start)
                .order_by(Event.seq)
            ).all()
        assert [tuple(r) for r in rows] == [
            (first.seq, EventKind.SETUP_CHANGED.value, at, first.data),
            (second.seq, EventKind.SETUP_CHANGED.value, at, second.data),
        ]
        assert first.data["data"] == small and second.data["data"] == large
        if listener is not None:
            got = [json.loads(n.payload) for n in listener.notifies(timeout=5, stop_after=2)]
            assert got == [
                first.data,
                {"branch_id": branch_id, "seq": second.seq, "fetch": True},
            ]
    finally:
        if listener is not None:
            listener.close()
        db.dispose()
