"""Fixtures for end-to-end tests: a pool of real server processes that always ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.processes import ServerPool


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
