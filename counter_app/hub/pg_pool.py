"""A small pool of psycopg async connections for the hub's hot path (``hub.booking_create``),
used on the event loop, with no thread in between.

Connections are opened when first needed, at most ``size`` at once, in autocommit (each
statement its own transaction). One whose state is doubtful after an error (broken, closed,
left inside a transaction, or a request cancelled while it waited on it) is closed rather
than given to the next request. A connection the database closed while it sat idle (a
restart of PostgreSQL) fails its next statement: ``run`` then tries the work once more on a
new connection, so the work must be safe to repeat when the first try's outcome is unknown
(a booking is: its NIK's unique index refuses the repeat of one that was committed).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from psycopg import AsyncConnection, OperationalError
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import make_url

POOL_SIZE = 10
T = TypeVar("T")


def conninfo(sqlalchemy_url: str) -> str:
    """The libpq address of an SQLAlchemy URL (``postgresql+psycopg://…`` → ``postgresql://…``)."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class AsyncPgPool:
    def __init__(self, dsn: str, size: int = POOL_SIZE) -> None:
        self._dsn = dsn
        self._slots = asyncio.Semaphore(size)
        self._idle: list[AsyncConnection[Any]] = []

    async def run(self, work: Callable[[AsyncConnection[Any]], Awaitable[T]]) -> T:
        """``work`` on a connection; once more on a new one if the first one broke."""
        used: list[AsyncConnection[Any]] = []
        try:
            async with self.connection() as conn:
                used.append(conn)
                return await work(conn)
        except OperationalError:
            if not (used and used[0].broken):
                raise
        async with self.connection(fresh=True) as conn:
            return await work(conn)

    @contextlib.asynccontextmanager
    async def connection(self, *, fresh: bool = False) -> AsyncIterator[AsyncConnection[Any]]:
        async with self._slots:
            conn = self._idle.pop() if self._idle and not fresh else None
            if conn is None or conn.closed:
                conn = await AsyncConnection.connect(self._dsn, autocommit=True)
            healthy = False
            try:
                yield conn
                healthy = True
            except Exception:
                # A refusal (a unique index, a full slot) leaves the connection as it was.
                healthy = not conn.broken
                raise
            finally:
                if (
                    healthy
                    and not conn.closed
                    and conn.info.transaction_status is TransactionStatus.IDLE
                ):
                    self._idle.append(conn)
                else:
                    await conn.close()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()
