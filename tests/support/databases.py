"""Throw-away databases for tests: a SQLite file, or a fresh PostgreSQL database.

PostgreSQL comes from COUNTER_APP_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test).
Without a reachable server the PostgreSQL tests skip with the reason, except in CI (CI=true),
where they fail: CI must never skip them silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

from counter_app.store.db import Database
from counter_app.store.migrate import upgrade

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def pg_admin_url() -> str:
    return os.environ.get("COUNTER_APP_TEST_PG_URL", DEFAULT_PG_URL)


def pg_unavailable_reason() -> str | None:
    try:
        with psycopg.connect(pg_admin_url(), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {pg_admin_url()}: {exc}"


def require_postgres() -> None:
    reason = pg_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the PostgreSQL tests, but: {reason}")
    pytest.skip(reason)


def pg_database_name(url: str) -> str:
    return str(make_url(url).database)


@contextmanager
def fresh_pg_database(template: str | None = None) -> Iterator[str]:
    """Create a database (empty, or a copy of ``template``), yield its URL, drop it afterwards."""
    require_postgres()
    name = f"counter_app_test_{uuid.uuid4().hex[:12]}"
    admin = pg_admin_url()
    with psycopg.connect(admin, autocommit=True) as conn:
        copy = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def migrated_database(url: str) -> Iterator[Database]:
    """A ``Database`` on ``url`` with the schema migrated; disposed afterwards."""
    db = Database(url)
    upgrade(db.write_engine)
    try:
        yield db
    finally:
        db.dispose()
