"""The pusher's batch (``server.hub_push``): each event's wire JSON is made by the database
(SQLite ``json_object``, PostgreSQL ``json_build_object``); what the hub receives must be the
journal exactly: its number, kind, time and payload, so the hub's hash equals the branch's."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from sqlalchemy import select

from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.hub import PUSH_BATCH, BranchFigures, JournalPush, event_hash
from counter_app.server.hub_push import _next_batch, _push_body
from counter_app.store import journal
from counter_app.store.db import Database
from counter_app.store.models import Branch
from tests.conftest import OfficeTemplate


def test_the_batch_is_the_journal(office_db: OfficeTemplate) -> None:
    db = Database(office_db.url)
    try:
        with db.read() as session:
            branch_id = int(session.scalars(select(Branch.id)).first() or 0)
            start = journal.last_seq(session, branch_id)
        at = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
        awkward = {"note": 'Antrian \u00e9 "kutip" \\ \n', "n": [1, 2.5, None, True], "e": {}}
        with db.write() as session:
            for data in (awkward, {}, {"x": "y" * 5000}):
                journal.record(
                    session, branch_id=branch_id, kind=EventKind.SETUP_CHANGED, at=at,
                    actor=ANONYMOUS, data=data,
                )  # fmt: skip
        with db.read() as session:
            batch = _next_batch(session, branch_id, start)
            expected = list(journal.events_between(session, branch_id, start, None, PUSH_BATCH))
            assert _next_batch(session, branch_id, start + 3) == []
        assert [seq for seq, _ in batch] == [start + 1, start + 2, start + 3]
        figures = BranchFigures(seq=start + 3, waiting=2, open_counters=1)
        body = _push_body(batch, figures)
        wire = orjson.loads(body)
        assert wire["figures"] == figures.model_dump()
        assert [e["payload"] for e in wire["events"]] == expected
        assert [(e["seq"], e["kind"], e["at"]) for e in wire["events"]] == [
            (p["seq"], p["kind"], p["at"]) for p in expected
        ]
        push = JournalPush.model_validate_json(body)  # as the hub reads it
        assert [event_hash(e.payload) for e in push.events] == [event_hash(p) for p in expected]
        assert push.events[0].payload["data"] == awkward
    finally:
        db.dispose()
