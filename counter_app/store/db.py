"""Engines and transactions.

SQLite (one server process): WAL, foreign keys on, and writers serialised: the write engine
has a pool of exactly one connection, so threads queue for it in Python instead of spinning on
SQLITE_BUSY, and every write transaction starts with ``BEGIN IMMEDIATE`` so a second process
(the CLI) waits its turn instead of failing mid-transaction. Readers use a separate pool and
see the last committed state (WAL snapshot).

SQLite writes made on the server's event loop go through ``WriteGroup``: every write of one
turn of the loop shares a transaction, each in its own savepoint, and the turn ends with one
commit before any of them is answered (group commit; see ``WriteGroup``).

PostgreSQL (many server processes): one pool, READ COMMITTED, row locks where order matters
(see store.journal and store.tickets).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from counter_app.core.vocabulary import EventKind
from counter_app.store.caches import SESSION_KEY, StoreCaches

AfterCommit = Callable[[list[Any]], None]
log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and pick the psycopg 3 driver for it."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


READ_POOL_SIZE = 8
READ_POOL_OVERFLOW = 8


def _sqlite_engine(url: str, synchronous: str, *, writer: bool) -> Engine:
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=1 if writer else READ_POOL_SIZE,
        max_overflow=0 if writer else READ_POOL_OVERFLOW,
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
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


# A pooled PostgreSQL connection idle for longer than this is checked with a round trip
# before it is handed out (it may have been closed while it sat in the pool: a database
# restart, an idle timeout, a dropped network link). Checking every checkout, as
# ``pool_pre_ping`` does, cost each request one round trip of its ten to fifteen.
IDLE_PING_SECONDS = 1.0
_IDLE_SINCE = "idle_since"


def ping_when_idle(engine: Engine) -> None:
    """Check a connection on checkout if it sat idle for over ``IDLE_PING_SECONDS`` (or the
    driver already knows it is broken); a dead one is replaced, as ``pool_pre_ping`` does."""

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if getattr(dbapi_connection, "broken", False) or dbapi_connection.closed:
            raise exc.DisconnectionError("the connection is closed")
        since = record.info.get(_IDLE_SINCE)
        if since is not None and time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool drops this connection and checks out another (up to three tries).
            raise exc.DisconnectionError(str(error)) from error


class Database:
    """The two ways in: ``write()`` for a transaction that changes state, ``read()`` for one
    that only looks. ``write()`` publishes the events it recorded once it has committed."""

    def __init__(
        self,
        url: str,
        *,
        sqlite_synchronous: str = "FULL",
        application_name: str | None = None,
    ) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self._checkpoints: Checkpointer | None = None
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(self.url, sqlite_synchronous, writer=True)
            self.read_engine = _sqlite_engine(self.url, sqlite_synchronous, writer=False)
        else:
            # The application name marks a server's sessions (store.server_lock).
            named = {"application_name": application_name} if application_name else {}
            self.write_engine = create_engine(
                self.url,
                pool_size=20,
                max_overflow=20,
                pool_timeout=60,
                # The connection used last is handed out first, so a busy server keeps
                # reusing a few warm ones and the rest stay idle (and are checked, below).
                pool_use_lifo=True,
                connect_args=named,
            )
            ping_when_idle(self.write_engine)
            self.read_engine = self.write_engine
        # This database's caches, carried by each of its sessions (``store.caches``).
        self.caches = StoreCaches()
        self._session_info = {SESSION_KEY: self.caches}
        self._write_sessions = sessionmaker(
            self.write_engine, expire_on_commit=False, info=self._session_info
        )
        self._read_sessions = sessionmaker(
            self.read_engine, expire_on_commit=False, info=self._session_info
        )
        self._after_commit: list[AfterCommit] = []
        self._lock = threading.Lock()
        # Writes made on the event loop go through this when set (SQLite, ``group_commit``).
        self.group: WriteGroup | None = None

    def group_commit(self) -> None:
        """SQLite: the server's writes run on its event loop, committed per loop turn."""
        if self.is_sqlite and self.group is None:
            self.group = WriteGroup(self)

    def checkpoint_in_background(self) -> None:
        """SQLite, for the server: copy the write-ahead log back into the database from a
        thread of its own (``Checkpointer``) instead of inside whichever commit fills it."""
        if not self.is_sqlite or self._checkpoints is not None:
            return
        if make_url(self.url).database in (None, "", ":memory:"):
            return

        @event.listens_for(self.write_engine, "connect")
        def _leave_checkpoints_to_the_thread(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

        # Its one connection is opened again, with that setting.
        self.write_engine.dispose()
        self._checkpoints = Checkpointer(self.read_engine)

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
        self.after_commit(events)

    def after_commit(self, events: list[Any]) -> None:
        """A write transaction committed: the log has pages to copy back, and its events go
        to the listeners."""
        if self._checkpoints is not None:
            self._checkpoints.written()
        if events:
            if any(e.data.get("kind") == EventKind.SETUP_CHANGED.value for e in events):
                # Cleared once the change is committed, not when it is written: a read in
                # between would load the old set-up again and keep it.
                self.caches.setup_changed()
            for listener in list(self._after_commit):
                listener(events)

    def reader_free(self) -> bool:
        """SQLite: a read connection can be had without waiting for one (the event loop
        reads only then; otherwise it hands the read to a worker thread)."""
        pool = self.read_engine.pool
        assert isinstance(pool, QueuePool)
        return pool.checkedin() > 0 or pool.checkedout() < READ_POOL_SIZE + READ_POOL_OVERFLOW

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
        if self._checkpoints is not None:
            self._checkpoints.stop()
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()


class WriteGroup:
    """Group commit for SQLite writes made on the event loop.

    With one writer at a time, what a write costs is mostly Python, and the commit: SQLite
    appends every page the transaction touched (the ticket, its indexes, the journal, the
    idempotency record …) to the write-ahead log, some twenty pages a ticket. Writes made
    in the same turn of the event loop touch mostly the same pages, so they share one
    transaction: each runs in its own savepoint (a failed one rolls back alone and changes
    nothing), the first schedules the commit for the end of the turn, and each request
    waits for that commit (``committed``) before it answers. Nothing is acknowledged before
    it is durable, and a failed commit fails every write of the group.

    Running on the loop also spares each write two hand-overs to a worker thread and back.
    Only quick writes belong here; slow work (password hashing) happens before. Threads
    (the sweeper, the CLI in another process) still write through ``Database.write``; they
    take the single write connection between the loop's turns.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._connection: Connection | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._events: list[Any] = []

    @contextmanager
    def member(self) -> Iterator[Session]:
        """One write of this turn, in its own savepoint; call ``committed`` after it."""
        if self._connection is None:
            self._open()
        assert self._connection is not None
        driver = self._connection.connection.driver_connection
        assert driver is not None
        # The savepoint is SQLite's own, issued directly: through SQLAlchemy's nested
        # transactions each one was compiled anew (its name changes every time), which cost
        # more than the work it wrapped. The session joins the open transaction and never
        # commits it, and nothing here asks it to roll back ("rollback_only").
        session = Session(
            bind=self._connection,
            join_transaction_mode="rollback_only",
            info=self.db._session_info,
        )
        session.info["events"] = []
        driver.execute("SAVEPOINT member")
        try:
            yield session
            session.flush()
        except BaseException:
            driver.execute("ROLLBACK TO member")
            driver.execute("RELEASE member")
            raise
        else:
            driver.execute("RELEASE member")
            self._events.extend(session.info["events"])
        finally:
            session.close()

    async def committed(self) -> None:
        """Wait until the current group is committed (raises if the commit failed).

        Each caller waits on a future of its own, so one that is cancelled (its client went
        away) leaves the others alone, and every waiter wakes one loop step after the commit."""
        if self._connection is None:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _open(self) -> None:
        loop = asyncio.get_running_loop()
        connection = self.db.write_engine.connect()
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        loop.call_soon(self._commit)

    def _commit(self) -> None:
        connection, waiters, events = self._connection, self._waiters, self._events
        self._connection, self._waiters, self._events = None, [], []
        assert connection is not None
        try:
            connection.commit()
        except Exception as error:
            connection.rollback()
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_exception(error)
            return
        finally:
            connection.close()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.db.after_commit(events)


class Checkpointer:
    """Copies SQLite's write-ahead log back into the database file, from its own thread.

    SQLite's automatic checkpoint runs inside the commit that fills the log past 1,000
    pages: that commit then copies the pages and waits for the disk, 4–6 ms here, on the
    event loop where the server's writes run (``WriteGroup``), so every request in flight
    waits with it. Here a thread with its own connection runs a ``PASSIVE`` checkpoint after
    writes, at most every ``INTERVAL_SECONDS``: it never blocks the writer or the readers,
    SQLite does the copying and the waiting outside the GIL, and an idle server does nothing.
    """

    INTERVAL_SECONDS = 0.05

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._written = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self._thread.start()

    def written(self) -> None:
        """Something was committed (called by the writers)."""
        self._written.set()

    def _run(self) -> None:
        raw = None  # opened at the first write, not while the server is starting
        try:
            while True:
                self._written.wait()
                if self._stopping.is_set():
                    return
                self._written.clear()
                if raw is None:
                    raw = self._engine.raw_connection()
                self._checkpoint(raw.driver_connection)
                if self._stopping.wait(self.INTERVAL_SECONDS):
                    return
        finally:
            if raw is not None:
                raw.close()

    @staticmethod
    def _checkpoint(driver: Any) -> None:
        try:
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except Exception:  # a locked or vanished file: try again after the next write
            log.debug("checkpoint failed", exc_info=True)

    def stop(self) -> None:
        self._stopping.set()
        self._written.set()
        self._thread.join(timeout=10)
        raw = self._engine.raw_connection()
        try:
            self._checkpoint(raw.driver_connection)
        finally:
            raw.close()
