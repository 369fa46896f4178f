"""Expected wait: trimmed mean of service times, counters' capacity, known answers."""

from __future__ import annotations

import math

import pytest

from counter_app.core.estimates import (
    MIN_SAMPLES,
    Estimate,
    estimate,
    service_capacity,
    typical_service_seconds,
)


def test_min_samples_is_three() -> None:
    assert MIN_SAMPLES == 3


@pytest.mark.parametrize("durations", [[], [100.0], [100.0, 200.0]])
def test_default_below_min_samples(durations: list[float]) -> None:
    assert typical_service_seconds(durations, 240.0) == 240.0


def test_plain_mean_with_too_few_samples_to_trim() -> None:
    assert typical_service_seconds([300.0, 100.0, 200.0], 999.0) == 200.0
    # nine samples: 10 % of 9 rounds down to nothing trimmed, so the outlier counts
    assert typical_service_seconds([10.0] * 8 + [910.0], 999.0) == 110.0


def test_ten_samples_drop_the_quickest_and_the_slowest() -> None:
    durations = [1000.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 1.0]
    assert typical_service_seconds(durations, 999.0) == 55.0


def test_twenty_samples_drop_two_at_each_end() -> None:
    durations = [0.0, 1.0] + [100.0] * 16 + [5000.0, 9000.0]
    assert typical_service_seconds(durations, 999.0) == 100.0


def test_ignores_negative_nan_and_infinite_durations() -> None:
    durations = [-5.0, math.nan, math.inf, 100.0, 200.0, 300.0, -math.inf]
    assert typical_service_seconds(durations, 999.0) == 200.0


def test_invalid_samples_do_not_count_towards_the_minimum() -> None:
    assert typical_service_seconds([-1.0, math.nan, 100.0, 200.0], 240.0) == 240.0


def test_zero_duration_is_a_valid_sample() -> None:
    assert typical_service_seconds([0.0, 0.0, 300.0], 999.0) == 100.0


@pytest.mark.parametrize(
    ("services_per_counter", "capacity"),
    [
        ([], 0.0),
        ([1], 1.0),
        ([1, 1], 2.0),
        ([1, 2], 1.5),
        ([-1, 2], 0.5),
        ([4], 0.25),
        ([0, 2], 0.5),
    ],
)
def test_service_capacity(services_per_counter: list[int], capacity: float) -> None:
    assert service_capacity(services_per_counter) == capacity


def test_service_capacity_of_three_shared_counters() -> None:
    assert service_capacity([3, 3, 3]) == pytest.approx(1.0)
    assert service_capacity(iter([2, 4])) == 0.75


@pytest.mark.parametrize(
    ("ahead", "typical", "capacity", "wait"),
    [
        (4, 300.0, 2.0, 675),  # round(4.5 * 300 / 2)
        (0, 300.0, 1.0, 150),
        (0, 240.0, 0.5, 240),
        (0, 300.0, 1.5, 100),
        (10, 120.0, 1.0, 1260),
        (3, 200.0, 1 / 3, 2100),
        (2, 100.0, 3.0, 83),  # 250 / 3 = 83.3
    ],
)
def test_estimate_known_answers(ahead: int, typical: float, capacity: float, wait: int) -> None:
    assert estimate(ahead, typical, capacity) == Estimate(ahead, wait)


@pytest.mark.parametrize("capacity", [0.0, -1.0])
def test_no_open_counter_means_no_wait_estimate(capacity: float) -> None:
    assert estimate(7, 300.0, capacity) == Estimate(7, None)


def test_negative_ahead_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        estimate(-1, 300.0, 1.0)
