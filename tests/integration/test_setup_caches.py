"""The set-up caches (a branch's call settings, service names …) never keep a set-up that a
committed change replaced: they are cleared when the change commits, not when it is written,
because a read in between still sees the old set-up and would cache it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import EventKind
from counter_app.store import journal
from counter_app.store.db import Database
from counter_app.store.models import Branch, BranchSequence
from counter_app.store.rows import find_branch
from counter_app.store.serialize import counter_service_ids, officer_name
from tests.support.databases import migrated_database

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _add_branch(db: Database) -> None:
    with db.write() as session:
        session.add(
            Branch(
                code="b", name="Kantor", timezone="Asia/Jakarta", opening_hours={},
                priority_run=1,
            )
        )  # fmt: skip
        session.flush()
        session.add(BranchSequence(branch_id=1, last_seq=0))


def test_a_read_during_a_set_up_change_does_not_outlive_its_commit(db_url: str) -> None:
    with migrated_database(db_url) as db:
        _add_branch(db)
        with db.read() as session:
            assert find_branch(session, 1).priority_run == 1

        with db.write() as session:
            session.execute(update(Branch).where(Branch.id == 1).values(priority_run=3))
            journal.record(
                session, branch_id=1, kind=EventKind.SETUP_CHANGED, at=NOW, actor=ANONYMOUS
            )
            with db.read() as other:  # another request, before the change is committed
                assert find_branch(other, 1).priority_run == 1

        with db.read() as session:
            assert find_branch(session, 1).priority_run == 3


def test_two_databases_on_one_url_keep_caches_of_their_own(db_url: str) -> None:
    """Each ``Database`` owns its caches: what one read is never answered to the other, even
    on the same database (the caches used to be shared per URL)."""
    with migrated_database(db_url) as first, migrated_database(db_url) as second:
        assert first.caches is not second.caches
        _add_branch(first)
        with first.read() as session:
            assert find_branch(session, 1).priority_run == 1
        assert len(first.caches.branches) == 1
        assert len(second.caches.branches) == 0
        # Changed behind both caches' backs (no set-up event): only a fresh read sees it.
        with second.write() as session:
            session.execute(update(Branch).where(Branch.id == 1).values(priority_run=3))
        with second.read() as session:
            assert find_branch(session, 1).priority_run == 3
        with first.read() as session:
            assert find_branch(session, 1).priority_run == 1  # its own entry, for 5 s


def test_a_committed_set_up_change_clears_every_set_up_cache_of_that_database(
    db_url: str,
) -> None:
    with migrated_database(db_url) as db:
        _add_branch(db)
        with db.read() as session:
            find_branch(session, 1)
            counter_service_ids(session, 1)
            officer_name(session, 1)
        assert len(db.caches.branches) == len(db.caches.counter_services) == 1
        with db.write() as session:
            journal.record(
                session, branch_id=1, kind=EventKind.SETUP_CHANGED, at=NOW, actor=ANONYMOUS
            )
            assert len(db.caches.branches) == 1  # not before it commits
        assert [len(c) for c in db.caches.setup_caches()] == [0, 0, 0, 0]
        assert len(db.caches.officer_names) == 1  # not set-up: kept
