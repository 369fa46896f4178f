"""The simulation clock and the rule that keeps it away from real offices' databases."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from counter_app.server.sim_clock import (
    SimulationClock,
    is_simulation_database,
    simulation_refusal,
)

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_a_standing_clock_moves_only_when_set_and_never_backwards() -> None:
    clock = SimulationClock(START, speed=0)
    time.sleep(0.01)
    assert clock() == START
    later = START + timedelta(hours=3)
    assert clock.set(later) == later
    assert clock() == later
    with pytest.raises(ValueError, match="cannot go back"):
        clock.set(START)
    assert clock() == later
    with pytest.raises(ValueError, match="time zone"):
        clock.set(datetime(2026, 3, 3, 8, 0))


def test_a_running_clock_runs_at_its_speed() -> None:
    clock = SimulationClock(START, speed=600)
    began = time.monotonic()
    time.sleep(0.05)
    elapsed = time.monotonic() - began
    moved = (clock() - START).total_seconds()
    assert 600 * 0.05 <= moved <= 600 * (elapsed + 0.05)
    clock.set(None, speed=0)
    frozen = clock()
    time.sleep(0.01)
    assert clock() == frozen
    with pytest.raises(ValueError):
        SimulationClock(START, speed=-1)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("sqlite:////tmp/study/office.sim.sqlite3", True),
        ("sqlite:///office.sim.sqlite3", True),
        ("sqlite:////var/lib/counter-app/counter_app.sqlite3", False),
        ("sqlite:////tmp/office.sim.sqlite3/real.sqlite3", False),
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("postgresql://postgres@127.0.0.1/study_sim", True),
        ("postgresql://postgres@127.0.0.1/_sim", False),
        ("postgresql://postgres@127.0.0.1/counter", False),
        ("not a url", False),
    ],
)
def test_only_a_simulation_database_may_run_a_simulation_clock(url: str, allowed: bool) -> None:
    assert is_simulation_database(url) is allowed
    assert (simulation_refusal(url) is None) is allowed


def test_the_configured_database_is_never_used_with_a_simulation_clock() -> None:
    refusal = simulation_refusal(None)
    assert refusal is not None and "--db" in refusal
