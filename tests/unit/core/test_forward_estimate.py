"""The forward simulation of the queue (core.forward_estimate) on small hand-computed cases,
and its range's percentiles."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from counter_app.core.forward_estimate import (
    MIN_REMAINING_SHARE,
    NO_FORECAST,
    Forecast,
    OpenCounter,
    ServiceTime,
    closed_form,
    forecast_wait,
    jump_load,
    remaining_service,
    service_time,
    wait_range,
)
from counter_app.core.policy import CallHistory, Candidate, CounterView, PolicySettings

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SETTINGS = PolicySettings(priority_run=2, regular_run=3)
# No spread: the wait is exact and the range is the model's own share around it.
EXACT = {1: ServiceTime(300.0, 0.0), 2: ServiceTime(600.0, 0.0), 3: ServiceTime(900.0, 0.0)}


def ticket(
    ticket_id: int,
    service_id: int = 1,
    *,
    minute: int | None = None,
    priority: bool = False,
    target: int | None = None,
) -> Candidate:
    at = T0 - timedelta(minutes=100 - (ticket_id if minute is None else minute))
    return Candidate(ticket_id, service_id, at, at, priority=priority, target_counter_id=target)


def counter(counter_id: int, *services: int, **kwargs: object) -> OpenCounter:
    return OpenCounter(CounterView(counter_id, services), **kwargs)  # type: ignore[arg-type]


def wait_of(target: int, waiting: list[Candidate], counters: list[OpenCounter]) -> int | None:
    forecast = forecast_wait(target, waiting, counters, EXACT, SETTINGS, T0)
    assert forecast is not None
    return forecast.wait_seconds


def test_two_idle_counters_share_the_queue() -> None:
    waiting = [ticket(1), ticket(2), ticket(3), ticket(4), ticket(5)]
    counters = [counter(10, 1), counter(11, 1)]
    # t=0: 1 and 2 are called; t=300: 3 and 4; t=600: 5.
    assert [wait_of(i, waiting, counters) for i in (1, 2, 3, 4, 5)] == [0, 0, 300, 300, 600]


def test_a_counter_busy_for_a_while_frees_up_after_the_rest_of_its_ticket() -> None:
    waiting = [ticket(1)]
    # 200 s into a 600 s ticket of service 2: 400 s to go.
    assert wait_of(1, waiting, [counter(10, 1, busy_service_id=2, busy_elapsed_seconds=200)]) == 400
    # Past its typical time it still needs a share of it, not zero.
    late = counter(10, 1, busy_service_id=2, busy_elapsed_seconds=1000)
    assert wait_of(1, waiting, [late]) == round(MIN_REMAINING_SHARE * 600)
    # The idle counter takes it at once; the busy one is not needed.
    idle = counter(11, 1)
    assert wait_of(1, waiting, [counter(10, 1, busy_service_id=2), idle]) == 0


def test_priority_tickets_interleave_ahead_of_earlier_regular_ones() -> None:
    regular = [ticket(1), ticket(2)]
    priority = [ticket(5, priority=True), ticket(6, priority=True), ticket(7, priority=True)]
    one = [counter(10, 1)]
    # Fresh history: priority first, two in a row (5, 6), then regular 1 at 600 s,
    # regular 2 at 900 s (a regular run goes on up to three), priority 7 at 1200 s.
    waiting = regular + priority
    assert wait_of(1, waiting, one) == 600
    assert wait_of(2, waiting, one) == 900
    assert wait_of(7, waiting, one) == 1200
    # After two priority calls it is the regulars' turn at once.
    after_priority = [counter(10, 1, history=CallHistory(True, 2))]
    assert wait_of(1, waiting, after_priority) == 0


def test_a_transfer_addressed_to_the_counter_goes_first() -> None:
    # Ticket 9 (service 3, 900 s) was transferred to counter 10 after ticket 1 arrived.
    waiting = [ticket(1), ticket(9, 3, minute=50, target=10)]
    assert wait_of(1, waiting, [counter(10, 1)]) == 900
    # Addressed to another counter, it does not delay this one.
    waiting = [ticket(1), ticket(9, 3, minute=50, target=11)]
    assert wait_of(1, waiting, [counter(10, 1), counter(11, 3, busy_service_id=3)]) == 0


def test_a_counter_serving_two_services_takes_the_longest_waiting_first() -> None:
    waiting = [ticket(1, 2, minute=1), ticket(2, 1, minute=2)]
    assert wait_of(2, waiting, [counter(10, 1, 2)]) == 600


def test_no_open_counter_serves_the_ticket() -> None:
    forecast = forecast_wait(1, [ticket(1, 3)], [counter(10, 1)], EXACT, SETTINGS, T0)
    assert forecast == NO_FORECAST
    assert forecast_wait(1, [ticket(1)], [], EXACT, SETTINGS, T0) == NO_FORECAST


def test_a_very_long_queue_is_left_to_the_closed_form() -> None:
    waiting = [ticket(i, minute=0) for i in range(1, 1000)]
    assert forecast_wait(999, waiting, [counter(10, 1)], EXACT, SETTINGS, T0) is None


def test_the_range_of_a_sum_of_service_times_has_k_times_the_variance() -> None:
    times = {1: ServiceTime(300.0, 120.0)}
    waiting = [ticket(i) for i in range(1, 6)]
    forecast = forecast_wait(5, waiting, [counter(10, 1)], times, SETTINGS, T0)
    # Four tickets ahead, each 300 ± 120 s: 1200 s with variance 4 x 120².
    assert forecast == wait_range(1200, 4 * 120.0**2)
    assert forecast is not None and forecast.low_seconds is not None
    assert forecast.high_seconds is not None
    assert forecast.low_seconds < 1200 < forecast.high_seconds


def test_priority_tickets_still_to_come_stretch_a_regular_wait() -> None:
    waiting = [ticket(1), ticket(2)]
    one = [counter(10, 1)]
    rates = {1: 0.5 / 300}  # half a counter's time goes to priority tickets arriving
    assert jump_load(waiting[1], one, EXACT, rates) == pytest.approx(0.5)
    forecast = forecast_wait(2, waiting, one, EXACT, SETTINGS, T0, rates)
    assert forecast is not None and forecast.wait_seconds == 600  # 300 / (1 - 0.5)
    # A priority ticket is not overtaken by later priority ones.
    assert jump_load(ticket(3, priority=True), one, EXACT, rates) == 0.0


def test_remaining_service_time() -> None:
    assert remaining_service(100, ServiceTime(600, 60)) == (500, pytest.approx((60 * 5 / 6) ** 2))
    assert remaining_service(0, ServiceTime(600, 60))[0] == 600


@pytest.mark.parametrize("mean,sd", [(600.0, 0.0), (1200.0, 300.0), (3000.0, 600.0)])
def test_the_range_covers_about_eight_in_ten_of_a_log_normal_wait(mean: float, sd: float) -> None:
    low_high = wait_range(mean, sd**2)
    assert low_high.low_seconds is not None and low_high.high_seconds is not None
    # Whole minutes: low rounded down, high up.
    assert low_high.low_seconds % 60 == 0 and low_high.high_seconds % 60 == 0
    variance = sd**2 + (0.25 * mean) ** 2
    sigma2 = math.log1p(variance / mean**2)
    mu = math.log(mean) - sigma2 / 2
    rng = random.Random(7)
    samples = [rng.lognormvariate(mu, math.sqrt(sigma2)) for _ in range(20000)]
    inside = sum(low_high.low_seconds <= s <= low_high.high_seconds for s in samples)
    # p10..p90 widened to whole minutes: at least 80 %, not a meaninglessly wide range.
    assert 0.80 <= inside / len(samples) <= 0.92


def test_a_zero_wait_still_has_a_range_of_a_minute() -> None:
    assert wait_range(0, 0) == Forecast(0, 0, 60)


def test_the_closed_form_matches_the_old_formula() -> None:
    assert closed_form(3, ServiceTime(420, 0), 1.5).wait_seconds == 980  # 3.5 x 420 / 1.5
    assert closed_form(3, ServiceTime(420, 0), 0.0) == NO_FORECAST


def test_service_time_is_the_trimmed_mean_and_the_default_until_enough_samples() -> None:
    assert service_time([100.0], 400.0) == ServiceTime(400.0, 200.0)
    found = service_time([100.0, 200.0, 600.0], 400.0)
    assert found.mean == 300.0
    assert found.sd == pytest.approx(math.sqrt(((200**2) + 100**2 + 300**2) / 2))
    # Ten samples: the slowest and the quickest are dropped from the typical time.
    found = service_time([60.0] + [300.0] * 8 + [3000.0], 400.0)
    assert found.mean == 300.0 and found.sd > 500
