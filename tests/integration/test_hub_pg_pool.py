"""The hub's pool of async PostgreSQL connections (hub/pg_pool.py): a connection the server
closed while it sat idle is replaced on its next use, without a failed request."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from counter_app.hub.pg_pool import AsyncPgPool, conninfo
from counter_app.store.db import normalise_url
from tests.support.databases import fresh_pg_database


async def _pid(conn: AsyncConnection[Any]) -> int:
    cursor = await conn.execute("SELECT pg_backend_pid()")
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.postgres
def test_a_connection_closed_by_the_server_is_replaced() -> None:
    with fresh_pg_database() as url:
        dsn = conninfo(normalise_url(url))

        async def scenario() -> tuple[int, int, int]:
            pool = AsyncPgPool(dsn, size=1)
            try:
                first = await pool.run(_pid)
                again = await pool.run(_pid)  # the idle connection is used again
                with psycopg.connect(dsn, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (first,))
                replaced = await pool.run(_pid)
                return first, again, replaced
            finally:
                await pool.close()

        first, again, replaced = asyncio.run(scenario())
        assert again == first
        assert replaced != first


@pytest.mark.postgres
def test_a_failed_statement_leaves_the_connection_usable() -> None:
    with fresh_pg_database() as url:
        dsn = conninfo(normalise_url(url))

        async def scenario() -> tuple[int, int]:
            pool = AsyncPgPool(dsn, size=1)
            try:
                first = await pool.run(_pid)

                async def bad(conn: AsyncConnection[Any]) -> None:
                    await conn.execute("SELECT 1 / 0")

                with pytest.raises(psycopg.errors.DivisionByZero):
                    await pool.run(bad)
                return first, await pool.run(_pid)
            finally:
                await pool.close()

        first, after = asyncio.run(scenario())
        assert after == first


@pytest.mark.postgres
def test_after_a_restart_every_dead_idle_connection_is_replaced() -> None:
    """A restart of PostgreSQL ends every idle connection: the one retry must not land on
    another dead one."""
    with fresh_pg_database() as url:
        dsn = conninfo(normalise_url(url))

        async def scenario() -> tuple[set[int], int]:
            pool = AsyncPgPool(dsn, size=3)
            try:
                together = asyncio.Barrier(3)

                async def held(conn: AsyncConnection[Any]) -> int:
                    await together.wait()  # three connections open at once
                    return await _pid(conn)

                pids = set(await asyncio.gather(*(pool.run(held) for _ in range(3))))
                with psycopg.connect(dsn, autocommit=True) as admin:
                    for pid in pids:
                        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                return pids, await pool.run(_pid)
            finally:
                await pool.close()

        before, after = asyncio.run(scenario())
        assert len(before) == 3
        assert after not in before


@pytest.mark.postgres
def test_a_cancelled_request_does_not_hand_its_connection_on() -> None:
    with fresh_pg_database() as url:
        dsn = conninfo(normalise_url(url))

        async def scenario() -> tuple[int, int]:
            pool = AsyncPgPool(dsn, size=1)
            try:
                started: asyncio.Future[int] = asyncio.get_running_loop().create_future()

                async def slow(conn: AsyncConnection[Any]) -> None:
                    started.set_result(await _pid(conn))
                    await conn.execute("SELECT pg_sleep(10)")

                task = asyncio.create_task(pool.run(slow))
                cancelled = await asyncio.wait_for(started, 10)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await asyncio.wait_for(task, 10)
                return cancelled, await asyncio.wait_for(pool.run(_pid), 10)
            finally:
                await pool.close()

        cancelled, after = asyncio.run(scenario())
        assert after != cancelled


@pytest.mark.postgres
def test_at_most_size_connections_at_once() -> None:
    with fresh_pg_database() as url:
        dsn = conninfo(normalise_url(url))

        async def scenario() -> set[int]:
            pool = AsyncPgPool(dsn, size=2)
            try:

                async def busy(conn: AsyncConnection[Any]) -> int:
                    await conn.execute("SELECT pg_sleep(0.1)")
                    return await _pid(conn)

                return set(await asyncio.gather(*(pool.run(busy) for _ in range(8))))
            finally:
                await pool.close()

        assert 1 <= len(asyncio.run(scenario())) <= 2
