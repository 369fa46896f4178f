"""Arrivals, service times and citizens' paths: seeded, so a study can be repeated exactly."""

from __future__ import annotations

import random
import statistics

from counter_app.simulate.generators import (
    arrivals,
    citizen_rng,
    lognormal_seconds,
    next_service,
    plan_visits,
    rate_at,
)
from counter_app.simulate.profile import Duration, load_profile


def test_the_same_seed_gives_the_same_day() -> None:
    profile = load_profile("dukcapil").profile
    first = arrivals(random.Random(7), profile, 8 * 3600)
    again = arrivals(random.Random(7), profile, 8 * 3600)
    other = arrivals(random.Random(8), profile, 8 * 3600)
    assert first == again
    assert first != other
    assert [a.at_seconds for a in first] == sorted(a.at_seconds for a in first)
    assert all(0 <= a.at_seconds < 8 * 3600 for a in first)
    visits = plan_visits(citizen_rng(1, 0, "walk_in", 3), profile, "A")
    assert visits == plan_visits(citizen_rng(1, 0, "walk_in", 3), profile, "A")


def test_arrivals_follow_the_rates_and_the_hourly_shape() -> None:
    profile = load_profile("dukcapil").profile
    days = [arrivals(random.Random(seed), profile, 8 * 3600) for seed in range(30)]
    expected = sum(s.per_hour for s in profile.services.values()) * sum(profile.hourly_shape)
    mean = statistics.fmean(len(day) for day in days)
    assert abs(mean - expected) < 0.05 * expected
    first_hour = statistics.fmean(sum(1 for a in d if a.at_seconds < 3600) for d in days)
    last_hour = statistics.fmean(sum(1 for a in d if a.at_seconds >= 7 * 3600) for d in days)
    assert first_hour > 2 * last_hour  # shape 1.4 against 0.5
    share = statistics.fmean(sum(a.priority for a in d) / len(d) for d in days)
    assert abs(share - profile.priority_share) < 0.02
    assert rate_at(60, [1.0, 2.0], 3600 * 5) == 2.0 / 60  # the last value repeats


def test_service_times_are_log_normal_with_the_given_mean_and_spread() -> None:
    rng = random.Random(3)
    draws = [lognormal_seconds(rng, Duration(mean=5, cv=0.5)) for _ in range(40_000)]
    assert abs(statistics.fmean(draws) - 300) < 6
    assert abs(statistics.stdev(draws) / statistics.fmean(draws) - 0.5) < 0.03
    assert min(draws) > 0
    assert lognormal_seconds(rng, Duration(mean=2, cv=0)) == 120


def test_paths_follow_the_next_chances_and_end_at_a_no_show() -> None:
    profile = load_profile("puskesmas").profile
    paths = [plan_visits(citizen_rng(1, 0, "t", i), profile, "P") for i in range(4000)]
    second = [p[1].service for p in paths if len(p) > 1 and not p[0].no_show]
    to_general = second.count("U") / sum(1 for p in paths if not p[0].no_show)
    assert abs(to_general - 0.72) < 0.03
    assert all(not any(v.no_show for v in p[:-1]) for p in paths)  # a no-show goes home
    rng = random.Random(1)
    picks = [next_service(rng, {"X": 0.25}) for _ in range(8000)]
    assert abs(picks.count("X") / len(picks) - 0.25) < 0.02
    assert next_service(rng, {}) is None
