"""The server settles Python's garbage collector once it has started (server.gc_policy).

Without it, a full collection with a thousand open event streams held the event loop for
70–180 ms several times a minute (docs/PERFORMANCE.md)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.server import gc_policy
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.live_server import run_server

PYTHON_DEFAULT = (700, 10, 10)


@pytest.fixture
def default_collector() -> Iterator[None]:
    """Python's own settings before the test, the process's own after it; the collector
    off, as ``python -m counter_app`` has it while the server starts."""
    before = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(*PYTHON_DEFAULT)
    gc_policy.pause_during_start()
    try:
        yield
    finally:
        gc.enable()
        gc.set_threshold(*before)


@pytest.mark.slow
@pytest.mark.usefixtures("default_collector")
def test_a_started_server_freezes_what_it_built_and_collects_less_often(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    assert gc.get_freeze_count() == 0
    with run_server(sqlite_copy(sqlite_office_template, tmp_path)):
        assert gc.isenabled()  # back on once started
        assert gc.get_threshold() == (
            gc_policy.YOUNG_THRESHOLD,
            gc_policy.MIDDLE_THRESHOLD,
            gc_policy.OLD_THRESHOLD,
        )
        # The app, its routes and models are out of the collector's walks from now on.
        assert gc.get_freeze_count() > 10_000
