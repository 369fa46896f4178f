"""PostgreSQL connections left idle in the pool are checked before use, and a dead one is
replaced: a server restart or an idle timeout must not fail the next request."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from counter_app.store import db as db_module
from counter_app.store.db import Database

pytestmark = pytest.mark.postgres


def _backend_pid(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(text("SELECT pg_backend_pid()")) or 0)


def test_a_connection_closed_while_idle_is_replaced(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        pid = _backend_pid(db)
        admin = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        time.sleep(db_module.IDLE_PING_SECONDS + 0.2)
        # The pool hands out its last-used connection first: the dead one, checked and replaced.
        assert _backend_pid(db) not in (0, pid)
    finally:
        db.dispose()
