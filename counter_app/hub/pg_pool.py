"""The pool of psycopg async connections for the hub's hot path (``hub.booking_create``), used
on the event loop, with no thread in between: psycopg's own pool
(``psycopg_pool.AsyncConnectionPool``) with the hub's settings and its one retry.

Connections are in autocommit (each statement its own transaction), at most ``size`` a
process; the pool is started at its first use (on the event loop that uses it: its workers are
tasks of that loop), then keeps one connection open and opens the others when needed, closing
them again after 10 minutes unused.
One whose state is doubtful is not given to the next request: psycopg_pool discards one that is
broken or closed and rolls back one left inside a transaction; one whose request was cancelled
while it waited on it is closed here. A connection the database closed while it sat idle (a
restart of PostgreSQL) fails its next statement: ``run`` then has the pool test its idle
connections (``check``: the dead ones are replaced) and tries the work once more, so the work
must be safe to repeat when the first try's outcome is unknown (a booking is: its NIK's
unique index refuses the repeat of one that was committed). A connection is not tested each
time it is taken (the pool's ``check=`` callback): that would be a second round trip for each
booking, whose statement is one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from psycopg import AsyncConnection, OperationalError
from psycopg_pool import AsyncConnectionPool

POOL_SIZE = 10
POOL_WAIT_SECONDS = 5.0
T = TypeVar("T")


class AsyncPgPool:
    def __init__(self, dsn: str, size: int = POOL_SIZE) -> None:
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            dsn,
            kwargs={"autocommit": True},
            min_size=1,
            max_size=size,
            open=False,
            name="hub-booking",
            # A database that is away is said at once (503 database_unavailable, hub.errors),
            # not after the pool's default 30 s: a citizen is waiting on the page.
            timeout=POOL_WAIT_SECONDS,
        )
        # Requests beyond ``size`` wait here, not in the pool's own queue of waiting clients
        # (a timer and a condition each): with 50 at once on 10 connections that queue cost
        # some 20 µs more CPU a run (docs/PERFORMANCE.md "Hub booking rate").
        self._slots = asyncio.Semaphore(size)

    async def open(self) -> None:
        """Start the pool (its first connection is made in the background)."""
        if self._pool.closed:
            await self._pool.open()

    async def run(self, work: Callable[[AsyncConnection[Any]], Awaitable[T]]) -> T:
        """``work`` on a connection; once more, on a tested one, if the first one broke."""
        used: list[AsyncConnection[Any]] = []
        try:
            async with self.connection() as conn:
                used.append(conn)
                return await work(conn)
        except OperationalError:
            if not (used and used[0].broken):
                raise
        await self._pool.check()  # the other idle connections died with it, most likely
        async with self.connection() as conn:
            return await work(conn)

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection[Any]]:
        await self.open()
        async with self._slots, self._pool.connection() as conn:
            # A refusal (a unique index, a full slot) leaves the connection as it was; a broken
            # one is discarded by the pool.
            try:
                yield conn
            except asyncio.CancelledError:
                # Cancelled while it waited on the connection: its state is doubtful.
                await conn.close()
                raise

    async def close(self) -> None:
        await self._pool.close()
