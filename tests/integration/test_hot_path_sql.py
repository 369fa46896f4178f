"""The hot path's prepared statements: values round-trip on both databases, and on SQLite no
statement walks a whole table or queue (a planner's wrong guess once made every call read the
entire waiting queue)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import sqlite

from counter_app.store import estimates, idempotency, journal, queue, rows, serialize
from counter_app.store.db import Database
from counter_app.store.migrate import upgrade
from counter_app.store.models import Branch, Service, Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.tickets import common as ticket_common
from counter_app.store.tickets import issuing as ticket_issuing


def _database(url: str) -> Database:
    db = Database(url)
    upgrade(db.write_engine)
    return db


def test_prepared_statements_round_trip_types(db_url: str) -> None:
    db = _database(db_url)
    try:
        with db.write() as session:
            session.add(Branch(code="b", name="Kantor", timezone="Asia/Jakarta", opening_hours={}))
            session.flush()
            session.add(Service(branch_id=1, prefix="A", name="KTP"))
            session.flush()
            issued = datetime(2026, 3, 2, 1, 2, 3, 456789, tzinfo=UTC)
            row = rows.insert_ticket(
                session,
                rows.TicketRow(
                    id=0,
                    branch_id=1,
                    service_id=1,
                    service_day=date(2026, 3, 2),
                    prefix="A",
                    number=7,
                    code="ABCDEFGH",
                    source="kiosk",
                    priority=True,
                    priority_class_id=None,
                    state="waiting",
                    counter_id=None,
                    target_counter_id=None,
                    officer_id=None,
                    issued_at=issued,
                    enqueued_at=issued,
                    called_at=None,
                    started_at=None,
                    closed_at=None,
                    call_count=0,
                    appointment_at=None,
                    front_at=None,
                    transferred_from_id=None,
                    note="catatan ✓ 'quoted'",
                ),
            )
            rows.apply_waiting_changes(session)
        with db.write() as session:
            again = rows.find_ticket(session, row.id, lock=True)
            assert again is not None
            assert (again.issued_at, again.service_day, again.priority, again.note) == (
                issued,
                date(2026, 3, 2),
                True,
                "catatan ✓ 'quoted'",
            )
            assert again.issued_at.tzinfo is not None
            # Queue lengths are kept on SQLite only (PostgreSQL counts the queue).
            kept = 1 if db.is_sqlite else 0
            assert rows.waiting_count(session, 1, date(2026, 3, 2), 1) == kept
            # The ORM reads what the prepared statements wrote, and the other way round.
            orm = session.get(Ticket, row.id)
            assert orm is not None and orm.issued_at == issued and orm.priority is True
            name = Prepared(select(Service.name).where(Service.id == bindparam("id")))
            assert name.scalar(session, id=1) == "KTP"
            assert name.scalar(session, id=99) is None
    finally:
        db.dispose()


def _hot_statements() -> list[tuple[str, Prepared]]:
    found: list[tuple[str, Prepared]] = []
    for module in (rows, serialize, estimates, idempotency, journal, ticket_common, ticket_issuing):
        for name, value in vars(module).items():
            if isinstance(value, Prepared) and value is not journal._APPEND_PG:  # PostgreSQL only
                found.append((f"{module.__name__}.{name}", value))
    for services in (1, 2, 4):
        found.append((f"queue heads, {services} services", queue._heads_statement(services, 0)))
        found.append(
            (f"queue heads, {services} services, 1 held", queue._heads_statement(services, 1))
        )
    return found


HOT = _hot_statements()


@pytest.mark.parametrize(("label", "statement"), HOT, ids=[label for label, _ in HOT])
def test_no_hot_statement_walks_a_table(label: str, statement: Prepared, tmp_path: Any) -> None:
    db = _database(f"sqlite:///{tmp_path / 'plans.sqlite3'}")
    try:
        form = statement._form(sqlite.dialect())
        raw = db.write_engine.raw_connection()
        try:
            plan = [
                str(line[3])
                for line in raw.driver_connection.execute(
                    "EXPLAIN QUERY PLAN " + form.sql, [None] * len(form.names)
                )
            ]
        finally:
            raw.close()
        walks = [line for line in plan if line.startswith("SCAN ") and " anon_" not in line]
        assert not walks, (label, plan)
        if label.startswith("queue heads"):
            assert any("ix_tickets_target_counter" in line for line in plan), plan
    finally:
        db.dispose()
