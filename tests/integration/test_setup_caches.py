"""The set-up caches (a branch's call settings, service names …) never keep a set-up that a
committed change replaced: they are cleared when the change commits, not when it is written,
because a read in between still sees the old set-up and would cache it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from counter_app.core.actor import ANONYMOUS
from counter_app.core.vocabulary import EventKind
from counter_app.store import journal
from counter_app.store.models import Branch, BranchSequence
from counter_app.store.rows import find_branch
from tests.support.databases import migrated_database

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_a_read_during_a_set_up_change_does_not_outlive_its_commit(db_url: str) -> None:
    with migrated_database(db_url) as db:
        with db.write() as session:
            session.add(
                Branch(
                    code="b", name="Kantor", timezone="Asia/Jakarta", opening_hours={},
                    priority_run=1,
                )
            )  # fmt: skip
            session.flush()
            session.add(BranchSequence(branch_id=1, last_seq=0))
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
