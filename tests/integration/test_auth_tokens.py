"""Bearer tokens resolve to the right actor, and every reason for refusing one holds, on both
databases (``store.auth.resolve`` is one prepared statement over tokens, users and devices)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from counter_app.config import Settings
from counter_app.core.vocabulary import DeviceKind, Role
from counter_app.server.context import Services, _look_up_token
from counter_app.server.tokens import TokenCache
from counter_app.store import auth
from counter_app.store.db import READ_POOL_OVERFLOW, READ_POOL_SIZE
from counter_app.store.models import AuthToken, Branch, Device, User
from tests.support.databases import migrated_database

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_tokens_resolve_and_are_refused_for_each_reason(db_url: str) -> None:
    with migrated_database(db_url) as db:
        with db.write() as session:
            session.add(Branch(code="b", name="Kantor", timezone="Asia/Jakarta", opening_hours={}))
            session.flush()
            officer = User(
                username="petugas",
                role=Role.OFFICER.value,
                branch_id=1,
                password_hash="x",
                created_at=NOW,
            )
            admin = User(username="admin", role=Role.ADMIN.value, password_hash="x", created_at=NOW)
            kiosk = Device(branch_id=1, kind=DeviceKind.KIOSK.value, name="k", created_at=NOW)
            session.add_all([officer, admin, kiosk])
            session.flush()
            tokens = {
                "officer": auth.issue_user_token(session, officer, NOW, timedelta(hours=8))[0],
                "admin": auth.issue_user_token(session, admin, NOW, timedelta(hours=8))[0],
                "short": auth.issue_user_token(session, officer, NOW, timedelta(minutes=1))[0],
                "revoked": auth.issue_user_token(session, officer, NOW, timedelta(hours=8))[0],
                "kiosk": auth.issue_device_token(session, kiosk, NOW),
            }
            session.flush()
            auth.revoke(session, tokens["revoked"])

        with db.read() as session:
            found = auth.resolve(session, tokens["officer"], NOW)
            assert found is not None
            actor, expires = found
            assert (actor.user_id, actor.username, actor.role, actor.branch_id) == (
                officer.id,
                "petugas",
                Role.OFFICER,
                1,
            )
            assert expires == NOW + timedelta(hours=8)
            found = auth.resolve(session, tokens["admin"], NOW)
            assert found is not None and found[0].role is Role.ADMIN
            assert found[0].branch_id is None
            found = auth.resolve(session, tokens["kiosk"], NOW)
            assert found is not None
            assert (found[0].device_id, found[0].device_kind, found[0].branch_id) == (
                kiosk.id,
                DeviceKind.KIOSK,
                1,
            )
            assert found[1] is None, "device tokens do not expire"

            assert auth.resolve(session, tokens["short"], NOW) is not None
            assert auth.resolve(session, tokens["short"], NOW + timedelta(minutes=1)) is None
            assert auth.resolve(session, tokens["revoked"], NOW) is None
            assert auth.resolve(session, "not-a-token", NOW) is None

        with db.write() as session:
            session.execute(update(User).where(User.id == officer.id).values(active=False))
            session.execute(update(Device).where(Device.id == kiosk.id).values(active=False))
        with db.read() as session:
            assert auth.resolve(session, tokens["officer"], NOW) is None
            assert auth.resolve(session, tokens["kiosk"], NOW) is None
            assert auth.resolve(session, tokens["admin"], NOW) is not None

        with db.write() as session:  # a token naming neither a user nor a device
            session.execute(
                update(AuthToken)
                .where(AuthToken.token_hash == auth.token_digest(tokens["admin"]))
                .values(user_id=None, device_id=None)
            )
            # and one naming both (never written by the server): it stands for the user
            session.execute(
                update(AuthToken)
                .where(AuthToken.token_hash == auth.token_digest(tokens["kiosk"]))
                .values(user_id=admin.id)
            )
        with db.read() as session:
            assert auth.resolve(session, tokens["admin"], NOW) is None
            found = auth.resolve(session, tokens["kiosk"], NOW)
            assert found is not None
            assert (found[0].user_id, found[0].device_id) == (admin.id, None)


def test_with_no_read_connection_free_the_loop_hands_the_lookup_to_a_thread(
    tmp_path: Path,
) -> None:
    """With SQLite group commit a token lookup runs on the event loop, but only when a read
    connection is free: otherwise the loop would stop until one came back."""
    url = f"sqlite:///{tmp_path / 'tokens.sqlite3'}"
    with migrated_database(url) as db:
        with db.write() as session:
            session.add(Branch(code="b", name="Kantor", timezone="Asia/Jakarta", opening_hours={}))
            session.flush()
            officer = User(
                username="petugas", role=Role.OFFICER.value, branch_id=1,
                password_hash="x", created_at=NOW,
            )  # fmt: skip
            session.add(officer)
            session.flush()
            token = auth.issue_user_token(session, officer, NOW, timedelta(hours=8))[0]
        db.group_commit()
        svc = Services(
            settings=Settings(db_url=url), db=db, tokens=TokenCache(db),
            keys=None,  # type: ignore[arg-type]  # not used by a lookup
            clock=lambda: NOW,
        )  # fmt: skip
        held = [db.read_engine.connect() for _ in range(READ_POOL_SIZE + READ_POOL_OVERFLOW)]

        async def look_up_while_all_readers_are_taken() -> float:
            lookup = asyncio.create_task(_look_up_token(svc, token, NOW))
            started = time.monotonic()
            await asyncio.sleep(0.2)
            loop_was_free_for = time.monotonic() - started
            assert not lookup.done(), "it waits for a connection"
            held.pop().close()
            actor = await asyncio.wait_for(lookup, 10)
            assert actor is not None and actor.username == "petugas"
            return loop_was_free_for

        try:
            assert asyncio.run(look_up_while_all_readers_are_taken()) < 1.0
        finally:
            for connection in held:
                connection.close()
