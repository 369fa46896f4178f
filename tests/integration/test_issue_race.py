"""Issuing on PostgreSQL (store.tickets.issue_pg): two tickets of one service issued at the same
moment, the second counting the first ahead; the answer stored early for its idempotency key.

On PostgreSQL the issue path reads the queue before it takes the daily number
(store.tickets.issue_pg), so the second issuer's read can miss a first ticket that commits
while the second waits for the number; the numbers given meanwhile must still be counted.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select, text

from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import TicketSource
from counter_app.schemas.tickets import TicketOut
from counter_app.server.responses import dump
from counter_app.store import idempotency
from counter_app.store.db import Database
from counter_app.store.models import Service
from counter_app.store.rows import find_service_and_branch
from counter_app.store.tickets.issuing import create_ticket
from tests.conftest import OfficeTemplate

WAIT_SECONDS = 20.0


def _issue(
    db: Database,
    service_id: int,
    numbered: threading.Event | None = None,
    hold: threading.Event | None = None,
) -> TicketOut:
    with db.write() as session:
        found = find_service_and_branch(session, service_id)
        assert found is not None
        service, branch = found
        out = create_ticket(
            session, branch, service, ANONYMOUS, datetime.now(UTC), source=TicketSource.KIOSK
        )
        if numbered is not None:
            numbered.set()
        if hold is not None:
            assert hold.wait(WAIT_SECONDS), "the second issuer never started"
    return out


def _lock_waiters(db: Database) -> int:
    with db.read() as session:
        return int(
            session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            or 0
        )


def test_a_ticket_numbered_while_the_next_waited_counts_as_ahead(
    office_db: OfficeTemplate,
) -> None:
    db = Database(office_db.url)
    try:
        with db.read() as session:
            service_id = int(session.scalars(select(Service.id).order_by(Service.id)).first() or 0)
        numbered, release = threading.Event(), threading.Event()
        results: dict[str, TicketOut] = {}
        failures: list[BaseException] = []

        def first() -> None:
            try:
                results["first"] = _issue(db, service_id, numbered, release)
            except BaseException as error:  # reported by the test thread
                failures.append(error)

        def second() -> None:
            try:
                results["second"] = _issue(db, service_id)
            except BaseException as error:
                failures.append(error)

        one = threading.Thread(target=first)
        one.start()
        # The first holds its number, uncommitted, until released.
        assert numbered.wait(WAIT_SECONDS)
        two = threading.Thread(target=second)
        two.start()
        # Let the second read the queue and queue for the number (PostgreSQL: a lock wait;
        # SQLite: for the one write connection), then let the first commit.
        deadline = time.monotonic() + WAIT_SECONDS
        if db.is_sqlite:
            time.sleep(0.3)
        else:
            while _lock_waiters(db) == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
        release.set()
        one.join(WAIT_SECONDS)
        two.join(WAIT_SECONDS)
        assert not failures, failures
        a, b = results["first"], results["second"]
        assert b.sequence == a.sequence + 1
        assert a.ahead is not None
        assert b.ahead == a.ahead + 1
    finally:
        db.dispose()


def test_the_answer_stored_early_is_the_answer_sent(office_db: OfficeTemplate) -> None:
    """PostgreSQL stores an issued ticket's answer for its idempotency key before the journal's
    append; the server then stores it again only if the bytes differ, which they must not."""
    db = Database(office_db.url)
    try:
        with db.write() as session:
            service_id = int(session.scalars(select(Service.id).order_by(Service.id)).first() or 0)
            found = find_service_and_branch(session, service_id)
            assert found is not None
            service, branch = found
            now = datetime.now(UTC)
            record, stored = idempotency.claim(session, "kiosk:test", "key-1", "print", now)
            assert record is not None and stored is None
            idempotency.expect_answer(session, record, 201)
            out = create_ticket(
                session, branch, service, ANONYMOUS, now, source=TicketSource.KIOSK, is_answer=True
            )
            early = idempotency.answered_early(session)
        if db.is_sqlite:
            assert early is None
        else:
            assert early == dump(out)
            with db.write() as session:
                again = idempotency.claim(session, "kiosk:test", "key-1", "print", now)
            assert again == (None, idempotency.StoredAnswer(201, dump(out).decode()))
    finally:
        db.dispose()
