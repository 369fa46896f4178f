"""SQLite in the server.

Group commit: the writes of one turn of the event loop share one transaction, each in its own
savepoint; nothing is visible (or answered) before the group commits, a failed write takes
back only its own changes, and events are published once, in journal order.

Checkpoints: the server copies the log into the database file from a thread of its own."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.config import Settings
from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import EventKind
from counter_app.server.app import open_database
from counter_app.store import journal
from counter_app.store.db import READ_POOL_OVERFLOW, READ_POOL_SIZE, Database
from counter_app.store.migrate import upgrade
from counter_app.store.models import Branch, BranchSequence
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.queue_ops import issue, journal_seq

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _codes(db: Database) -> list[str]:
    with db.read() as session:
        return sorted(session.scalars(select(Branch.code)))


def test_a_failed_write_takes_back_only_its_own_changes(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'group.sqlite3'}")
    upgrade(db.write_engine)
    published: list[list[Any]] = []
    db.on_commit(published.append)
    with db.write() as session:
        session.add(Branch(code="home", name="Kantor", timezone="Asia/Jakarta", opening_hours={}))
        session.flush()
        session.add(BranchSequence(branch_id=1, last_seq=0))

    def add(session: Any, code: str) -> None:
        session.add(Branch(code=code, name=code, timezone="Asia/Jakarta", opening_hours={}))
        journal.record(
            session,
            branch_id=1,
            kind=EventKind.SETUP_CHANGED,
            at=NOW,
            actor=ANONYMOUS,
            data={"code": code},
        )

    db.group_commit()

    async def one_turn() -> None:
        group = db.group
        assert group is not None
        with group.member() as session:
            add(session, "a")
        with pytest.raises(RuntimeError), group.member() as session:
            add(session, "b")
            session.flush()
            raise RuntimeError("this write fails after it changed things")
        with group.member() as session:
            add(session, "c")
        assert _codes(db) == ["home"], "nothing is visible before the group commits"
        assert published == []
        await group.committed()

    asyncio.run(one_turn())
    assert _codes(db) == ["a", "c", "home"]
    # One publication for the group, with the events of the writes that stayed, numbered
    # without a gap (the failed write's number was taken back with it).
    assert [[(e.seq, e.data["data"]["code"]) for e in events] for events in published] == [
        [(1, "a"), (2, "c")]
    ]
    with db.read() as session:
        assert journal.last_seq(session, 1) == 2
    db.dispose()


def test_turns_commit_separately(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'turns.sqlite3'}")
    upgrade(db.write_engine)

    db.group_commit()

    async def two_turns() -> None:
        group = db.group
        assert group is not None
        with group.member() as session:
            session.add(Branch(code="x", name="x", timezone="Asia/Jakarta", opening_hours={}))
        await group.committed()
        assert _codes(db) == ["x"]
        with group.member() as session:
            session.add(Branch(code="y", name="y", timezone="Asia/Jakarta", opening_hours={}))
        assert _codes(db) == ["x"]
        await group.committed()

    asyncio.run(two_turns())
    assert _codes(db) == ["x", "y"]
    db.dispose()


def test_a_waiter_that_goes_away_leaves_the_group_alone(tmp_path: Path) -> None:
    """A request cancelled while it waits for the commit (its client hung up) neither stops
    the commit nor disturbs the other members' answers (each waits on a future of its own;
    that the wake-up takes one loop step is measured, not tested: docs/PERFORMANCE.md)."""
    db = Database(f"sqlite:///{tmp_path / 'cancel.sqlite3'}")
    upgrade(db.write_engine)
    db.group_commit()
    group = db.group
    assert group is not None

    async def write_and_wait(code: str) -> str:
        with group.member() as session:
            session.add(Branch(code=code, name=code, timezone="Asia/Jakarta", opening_hours={}))
        await group.committed()
        return code

    async def one_turn() -> tuple[list[object], bool]:
        tasks = [asyncio.create_task(write_and_wait(code)) for code in ("a", "b", "c")]
        await asyncio.sleep(0)  # every member has written and waits for the commit
        assert _codes(db) == [], "nothing is visible before the group commits"
        tasks[1].cancel()
        results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
        return results, tasks[1].cancelled()

    results, cancelled = asyncio.run(one_turn())
    assert cancelled
    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], asyncio.CancelledError)
    assert _codes(db) == ["a", "b", "c"], "the commit went ahead for the whole group"
    db.dispose()


def test_the_loop_reads_only_when_a_read_connection_is_free(tmp_path: Path) -> None:
    """A token lookup runs on the event loop only if it need not wait for a connection."""
    db = Database(f"sqlite:///{tmp_path / 'readers.sqlite3'}")
    upgrade(db.write_engine)
    held = []
    try:
        assert db.reader_free()
        for _ in range(READ_POOL_SIZE + READ_POOL_OVERFLOW):
            held.append(db.read_engine.connect())
        assert not db.reader_free()
        held.pop().close()
        assert db.reader_free()
    finally:
        for connection in held:
            connection.close()
        db.dispose()


def _in_database_file(path: Path) -> list[str]:
    """Branch codes in the database file itself, ignoring the write-ahead log."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as raw:
            return sorted(code for (code,) in raw.execute("SELECT code FROM branches"))
    except sqlite3.DatabaseError:  # caught half-way through a checkpoint: look again
        return []


def test_the_server_checkpoints_the_log_from_its_own_thread(tmp_path: Path) -> None:
    path = tmp_path / "server.sqlite3"
    db = open_database(Settings(db_url=f"sqlite:///{path}"), serving=True)
    try:
        assert db.group is not None, "a server commits SQLite writes in groups by default"
        with db.write_engine.connect() as connection:
            # The writer never checkpoints inside a commit ...
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        with db.write() as session:
            session.add(Branch(code="k", name="k", timezone="Asia/Jakarta", opening_hours={}))
        # ... the thread copies the commit into the database file soon after.
        deadline = time.monotonic() + 5
        while _in_database_file(path) != ["k"] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _in_database_file(path) == ["k"]
    finally:
        db.dispose()


def test_other_programs_leave_checkpoints_to_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite3"
    db = open_database(Settings(db_url=f"sqlite:///{path}"))
    try:
        with db.write_engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    finally:
        db.dispose()


@pytest.mark.parametrize("grouped", [True, False], ids=["group-commit", "thread-per-write"])
def test_a_server_numbers_concurrent_tickets_once_in_either_write_mode(
    sqlite_office_template: OfficeTemplate, tmp_path: Path, grouped: bool
) -> None:
    office = sqlite_office_template.office
    settings = {} if grouped else {"sqlite_group_commit": False}  # grouped is the default
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), **settings) as srv:
        # The setting (or its default) reached the server.
        assert (srv.app.state.services.db.group is not None) is grouped
        kiosk = Api(srv.url).as_token(office.kiosk_token)
        with ThreadPoolExecutor(8) as pool:
            issued = list(pool.map(lambda _: issue(kiosk, office.services["A"]), range(40)))
        numbers = sorted(t["number"] for t in issued)
        assert numbers == [f"A-{n:03d}" for n in range(1, 41)]
        assert sorted(t["ahead"] for t in issued) == list(range(40))
        assert journal_seq(kiosk, office.branch_id) >= 40
