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
            pool = AsyncPgPool(dsn, size=2)
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
