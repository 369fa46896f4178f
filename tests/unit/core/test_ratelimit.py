"""Token bucket: a burst, then refusal, then refill with (passed-in) time."""

from __future__ import annotations

from counter_app.core.ratelimit import RateLimiter


def test_burst_then_refusal() -> None:
    limiter = RateLimiter(rate_per_second=1.0, burst=3)
    assert [limiter.allow("10.0.0.1", 0.0) for _ in range(5)] == [True, True, True, False, False]


def test_refills_with_time() -> None:
    limiter = RateLimiter(rate_per_second=2.0, burst=2)
    assert [limiter.allow("k", 100.0) for _ in range(3)] == [True, True, False]
    assert not limiter.allow("k", 100.25)  # half a token
    assert limiter.allow("k", 100.5)  # one whole token
    assert not limiter.allow("k", 100.5)
    assert [limiter.allow("k", 101.5) for _ in range(3)] == [True, True, False]


def test_refusals_do_not_push_the_next_token_further_away() -> None:
    limiter = RateLimiter(rate_per_second=1.0, burst=1)
    assert limiter.allow("k", 0.0)
    assert [limiter.allow("k", 0.1 * i) for i in range(1, 10)] == [False] * 9
    assert limiter.allow("k", 1.0)


def test_slow_rate() -> None:
    limiter = RateLimiter(rate_per_second=0.5, burst=1)
    assert limiter.allow("k", 0.0)
    assert not limiter.allow("k", 1.9)
    assert limiter.allow("k", 2.0)


def test_idle_time_saves_at_most_a_burst() -> None:
    limiter = RateLimiter(rate_per_second=1.0, burst=3)
    assert limiter.allow("k", 0.0)
    assert [limiter.allow("k", 3600.0) for _ in range(4)] == [True, True, True, False]


def test_keys_are_independent() -> None:
    limiter = RateLimiter(rate_per_second=1.0, burst=1)
    assert limiter.allow("a", 0.0)
    assert not limiter.allow("a", 0.0)
    assert limiter.allow("b", 0.0)
    assert not limiter.allow("b", 0.0)


def test_memory_is_bounded_by_forgetting_old_keys() -> None:
    limiter = RateLimiter(rate_per_second=1.0, burst=1, max_keys=2)
    assert limiter.allow("a", 0.0)
    assert limiter.allow("b", 0.0)
    assert not limiter.allow("a", 0.0)
    assert limiter.allow("c", 0.0)  # a third key: the table is full and starts afresh
    assert limiter.allow("a", 0.0)
