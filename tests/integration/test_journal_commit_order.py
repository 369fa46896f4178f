"""The journal's numbers under concurrent writers: gap-free and in commit order.

A reader polling the journal must never see event N+1 before event N: a resuming client that
read N+1 asks for "everything after N+1" and would never get N (ARCHITECTURE.md, the
journal). Writers here hold their transactions open after recording, and sometimes record
two events or roll back, which is where numbering taken too early or outside the
transaction's lock shows up as a hole that is filled later.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select

from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import EventKind
from counter_app.store import journal
from counter_app.store.db import Database
from counter_app.store.models import Branch, Event
from tests.conftest import OfficeTemplate

WRITERS = 8
WRITES_EACH = 25
DEADLINE_SECONDS = 120.0


class RolledBackError(Exception):
    """A writer's deliberate rollback."""


def _write(db: Database, branch_id: int, rng: random.Random) -> int:
    """One transaction: one or two events, a pause before commit, now and then a rollback.
    Returns how many events it committed."""
    count = rng.choice((1, 1, 2))
    roll_back = rng.random() < 0.15
    try:
        with db.write() as session:
            for _ in range(count):
                journal.record(
                    session,
                    branch_id=branch_id,
                    kind=EventKind.SETUP_CHANGED,
                    at=datetime.now(UTC),
                    actor=ANONYMOUS,
                    data={"writer": threading.get_ident()},
                )
            time.sleep(rng.uniform(0, 0.004))
            if roll_back:
                raise RolledBackError
    except RolledBackError:
        return 0
    return count


def test_a_reader_never_sees_a_hole_that_is_filled_later(office_db: OfficeTemplate) -> None:
    db = Database(office_db.url)
    try:
        with db.read() as session:
            branch_id = int(session.scalars(select(Branch.id)).first() or 0)
            start = journal.last_seq(session, branch_id)
        committed = [0] * WRITERS
        failures: list[BaseException] = []
        done = threading.Event()

        def writer(index: int) -> None:
            rng = random.Random(index)
            try:
                for _ in range(WRITES_EACH):
                    committed[index] += _write(db, branch_id, rng)
            except BaseException as error:  # reported by the test thread
                failures.append(error)

        holes: list[tuple[int, list[int]]] = []

        def reader() -> None:
            seen = start
            while True:
                finished = done.is_set()
                with db.read() as session:
                    seqs = list(
                        session.scalars(
                            select(Event.seq)
                            .where(Event.branch_id == branch_id, Event.seq > seen)
                            .order_by(Event.seq)
                        )
                    )
                if seqs and seqs != list(range(seen + 1, seen + 1 + len(seqs))):
                    holes.append((seen, seqs))
                    return
                if seqs:
                    seen = seqs[-1]
                if finished:
                    return

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
        watcher = threading.Thread(target=reader)
        watcher.start()
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + DEADLINE_SECONDS
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        done.set()
        watcher.join(timeout=max(1.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in [*threads, watcher]), "writers did not finish"
        assert not failures, failures
        assert not holes, f"after seq {holes[0][0]} the reader saw {holes[0][1][:10]}"

        total = sum(committed)
        with db.read() as session:
            seqs = list(
                session.scalars(
                    select(Event.seq)
                    .where(Event.branch_id == branch_id, Event.seq > start)
                    .order_by(Event.seq)
                )
            )
            payload_seqs = [
                p["seq"] for p in journal.events_between(session, branch_id, start, limit=10_000)
            ]
            assert journal.last_seq(session, branch_id) == start + total
        # Every committed event numbered, none twice, no number left by a rollback.
        assert seqs == list(range(start + 1, start + 1 + total))
        assert payload_seqs == seqs
    finally:
        db.dispose()


def test_reading_an_events_number_before_commit_gives_the_committed_one(
    office_db: OfficeTemplate,
) -> None:
    """``seq`` asked for inside the transaction (a device's fault answer) is the number the
    event is committed with, and later events of the transaction follow it."""
    db = Database(office_db.url)
    try:
        with db.read() as session:
            branch_id = int(session.scalars(select(Branch.id)).first() or 0)
            start = journal.last_seq(session, branch_id)
        with db.write() as session:
            first = journal.record(
                session,
                branch_id=branch_id,
                kind=EventKind.SETUP_CHANGED,
                at=datetime.now(UTC),
                actor=ANONYMOUS,
            )
            early = first.seq
            second = journal.record(
                session,
                branch_id=branch_id,
                kind=EventKind.SETUP_CHANGED,
                at=datetime.now(UTC),
                actor=ANONYMOUS,
            )
        assert (early, first.seq, second.seq) == (start + 1, start + 1, start + 2)
        assert first.data["seq"] == start + 1
        with db.read() as session:
            stored = journal.events_between(session, branch_id, start)
        assert [e["seq"] for e in stored] == [start + 1, start + 2]
    finally:
        db.dispose()
