"""``python -m counter_app`` starts with the garbage collector off (server/gc_policy.py): every
command other than the server in one process switches it back on before it runs."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.server import gc_policy


@pytest.fixture
def paused() -> Iterator[None]:
    gc_policy.pause_during_start()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("paused")
def test_a_command_other_than_the_server_runs_with_the_collector_on(tmp_path: Path) -> None:
    assert not gc.isenabled()
    assert main(["tls", "fingerprint", str(tmp_path / "missing.pem")]) != 0  # cannot read it
    assert gc.isenabled()


def test_python_dash_m_pauses_the_collector_until_the_command_runs() -> None:
    """The module run by ``python -m counter_app`` pauses it before importing the CLI."""
    code = (
        "import runpy, gc, sys\n"
        "import counter_app.cli as cli\n"
        "cli.main = lambda: print('enabled while loading:', gc.isenabled()) or 0\n"
        "runpy.run_module('counter_app', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "enabled while loading: False" in result.stdout, result.stdout


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.mark.usefixtures("paused")
def test_collected_apart_frees_the_cycles_the_block_made_and_walks_nothing_older() -> None:
    frozen = gc.get_freeze_count()
    gc.unfreeze()  # another test's server may have frozen its objects in this process
    try:
        older = weakref.ref(_Node())
        with gc_policy.collected_apart():
            newer = weakref.ref(_Node())
        assert newer() is None  # collected
        assert older() is not None  # set aside meanwhile, left for a later collection
        assert gc.get_freeze_count() == 0
        gc.collect()
        assert older() is None
    finally:
        if frozen:
            gc.freeze()
