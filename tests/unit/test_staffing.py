"""Erlang C staffing (core.staffing) against textbook values."""

from __future__ import annotations

import math

import pytest

from counter_app.core.staffing import (
    advise_hour,
    erlang_c,
    mean_wait_seconds,
    offered_load,
    recommended_counters,
    wait_within_probability,
)


def test_offered_load_is_arrivals_per_second_times_service_seconds() -> None:
    assert offered_load(60, 300) == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("servers", "load", "expected"),
    [
        # M/M/2 with a = 1: C = 1/3; M/M/3 with a = 2: C = 4/9 (closed forms).
        (2, 1.0, 1 / 3),
        (3, 2.0, 4 / 9),
        # M/M/1: C equals the utilisation.
        (1, 0.75, 0.75),
        # Erlang C tables: a = 8 erlangs on 10 servers waits 40.9 %, a = 10 on 12: 44.9 %.
        (10, 8.0, 0.4092),
        (12, 10.0, 0.4494),
    ],
)
def test_erlang_c_matches_textbook_values(servers: int, load: float, expected: float) -> None:
    assert erlang_c(servers, load) == pytest.approx(expected, abs=5e-4)


def test_no_load_never_waits_and_overload_always_waits() -> None:
    assert erlang_c(3, 0.0) == 0.0
    assert erlang_c(3, 3.0) == 1.0
    assert mean_wait_seconds(3, 0, 300) == 0.0
    assert mean_wait_seconds(2, 24, 300) == math.inf  # 2 erlangs on 2 counters


def test_mean_wait_of_mm1_is_rho_over_mu_minus_lambda() -> None:
    # λ = 10/h, service 4 min (μ = 15/h): Wq = ρ/(μ-λ) = (2/3)/5 h = 8 min.
    assert mean_wait_seconds(1, 10, 240) == pytest.approx(480.0)


def test_textbook_call_centre_example() -> None:
    # The classic worked example: 360 calls per 30 min of 240 s each (a = 48 erlangs) on
    # 55 agents: the chance to wait is 24.0 %, 86.7 % answered within 20 s, mean wait 8.2 s.
    arrivals = 720.0
    assert erlang_c(55, offered_load(arrivals, 240)) == pytest.approx(0.2404, abs=2e-3)
    assert mean_wait_seconds(55, arrivals, 240) == pytest.approx(8.24, abs=0.2)
    assert wait_within_probability(55, arrivals, 240, 20) == pytest.approx(0.867, abs=2e-3)


def test_recommended_is_the_fewest_counters_meeting_the_target() -> None:
    count = recommended_counters(30, 300, 5 * 60)
    assert mean_wait_seconds(count, 30, 300) <= 300
    assert mean_wait_seconds(count - 1, 30, 300) > 300
    assert recommended_counters(0, 300, 60) == 0


def test_advise_hour_compares_current_staffing() -> None:
    advice = advise_hour(9, 30, 300, 600, current_counters=2.5)
    assert advice.recommended == recommended_counters(30, 300, 600)
    assert advice.current == 2.5
    assert advice.wait_current_seconds == math.inf  # 2 whole counters for 2.5 erlangs


def test_negative_input_is_refused() -> None:
    with pytest.raises(ValueError):
        offered_load(-1, 10)
    with pytest.raises(ValueError):
        erlang_c(-1, 1.0)
