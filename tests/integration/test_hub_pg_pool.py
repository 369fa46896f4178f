"""The hub's pool of async PostgreSQL connections (hub/pg_pool.py): a connection the server
closed while it sat idle is replaced on its next use, without a failed request."""

from __future__ import annotations

import asyncio
import time
import warnings
from typing import Any

import psycopg
import psycopg_pool
import pytest
from fastapi import FastAPI
from psycopg import AsyncConnection

from counter_app.hub.errors import install_error_handlers
from counter_app.hub.pg_pool import POOL_WAIT_SECONDS, AsyncPgPool
from counter_app.store.db import normalise_url
from counter_app.store.pg_listen import libpq_url as conninfo
from tests.support.databases import fresh_pg_database
from tests.support.ports import free_port


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


def test_a_database_that_is_away_is_said_within_the_pools_wait() -> None:
    """Nothing listens at the address: the booking fails with psycopg's OperationalError
    (which the hub answers as 503 database_unavailable) after the pool's short wait, not its
    default 30 s."""
    dsn = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing?connect_timeout=1"

    async def scenario() -> float:
        pool = AsyncPgPool(dsn, size=1)
        started = time.monotonic()
        try:
            with pytest.raises(psycopg.OperationalError):
                await pool.run(_pid)
            return time.monotonic() - started
        finally:
            await pool.close()

    took = asyncio.run(asyncio.wait_for(scenario(), POOL_WAIT_SECONDS + 20))
    assert took < POOL_WAIT_SECONDS + 3


def test_the_hub_answers_psycopgs_own_errors_as_database_unavailable() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/away")
    async def away() -> None:
        raise psycopg_pool.PoolTimeout("couldn't get a connection after 5.00 sec")

    with warnings.catch_warnings():
        # Starlette asks for its fork ``httpx2``; plain httpx works the same here.
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient
    answer = TestClient(app).get("/away")
    assert answer.status_code == 503
    assert answer.json()["error"] == "database_unavailable"
    assert answer.headers["Retry-After"] == "1"
