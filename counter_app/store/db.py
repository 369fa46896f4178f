"""Engines and transactions.

SQLite (one server process): WAL, foreign keys on, and writers serialised: the write engine
has a pool of exactly one connection, so threads queue for it in Python instead of spinning on
SQLITE_BUSY, and every write transaction starts with ``BEGIN IMMEDIATE`` so a second process
(the CLI) waits its turn instead of failing mid-transaction. Readers use a separate pool and
see the last committed state (WAL snapshot).

PostgreSQL (many server processes): one pool, READ COMMITTED, row locks where order matters
(see store.journal and store.tickets).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

AfterCommit = Callable[[list[Any]], None]


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and pick the psycopg 3 driver for it."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_engine(url: str, synchronous: str, *, writer: bool) -> Engine:
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=1 if writer else 8,
        max_overflow=0 if writer else 8,
        pool_timeout=60,
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


class Database:
    """The two ways in: ``write()`` for a transaction that changes state, ``read()`` for one
    that only looks. ``write()`` publishes the events it recorded once it has committed."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "NORMAL") -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(self.url, sqlite_synchronous, writer=True)
            self.read_engine = _sqlite_engine(self.url, sqlite_synchronous, writer=False)
        else:
            self.write_engine = create_engine(
                self.url, pool_size=20, max_overflow=20, pool_pre_ping=True, pool_timeout=60
            )
            self.read_engine = self.write_engine
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self._after_commit: list[AfterCommit] = []
        self._lock = threading.Lock()

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def on_commit(self, listener: AfterCommit) -> None:
        """Call ``listener(events)`` after each committed write that recorded events."""
        with self._lock:
            self._after_commit.append(listener)

    @contextmanager
    def write(self) -> Iterator[Session]:
        session = self._write_sessions()
        session.info["events"] = []
        try:
            with session.begin():
                yield session
            events = session.info["events"]
        finally:
            session.close()
        if events:
            for listener in list(self._after_commit):
                listener(events)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read_sessions()
        try:
            with session.begin():
                if not self.is_sqlite:
                    # One consistent snapshot across the several queries of a read.
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
