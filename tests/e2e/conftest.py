"""Fixtures for end-to-end tests: a pool of real server processes that always ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.processes import Backend, ServerPool


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[ServerPool]:
    """Start servers with ``servers.start(db_url, name)``; all are stopped after the test."""
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    pool = ServerPool(log_dir)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(
    params=[
        pytest.param(1, id="sqlite"),
        pytest.param(2, marks=pytest.mark.postgres, id="postgresql_two_processes"),
    ]
)
def backend(request: pytest.FixtureRequest) -> Backend:
    """Both deployments: one server process on SQLite, and two server processes sharing one
    PostgreSQL database (so each must serve what the other wrote)."""
    processes = int(request.param)
    url = request.getfixturevalue("sqlite_url" if processes == 1 else "pg_url")
    return Backend(str(url), processes)
