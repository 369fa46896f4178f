"""The store's caches: a value is kept for its time and no longer, a ``None`` is kept like any
value, and a set-up change clears the set-up caches and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from counter_app.store.caches import StoreCaches, TimedCache, caches_of


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_for_its_time_then_read_again() -> None:
    clock = Clock()
    cache: TimedCache[int, str] = TimedCache(5.0, timer=clock)
    loads: list[int] = []

    def load() -> str:
        loads.append(1)
        return f"read {len(loads)}"

    assert cache.get(1, load) == "read 1"
    clock.now += 4.9
    assert cache.get(1, load) == "read 1"
    clock.now += 0.2
    assert cache.get(1, load) == "read 2"
    assert len(loads) == 2


def test_none_is_a_value_not_a_miss() -> None:
    cache: TimedCache[int, str | None] = TimedCache(5.0, timer=Clock())
    loads: list[int] = []

    def load() -> None:
        loads.append(1)

    for _ in range(3):
        assert cache.get(1, load) is None
    assert len(loads) == 1


def test_forget_and_a_full_cache() -> None:
    cache: TimedCache[int, int] = TimedCache(5.0, max_entries=3, timer=Clock())
    for key in range(5):
        cache.get(key, lambda: 0)
    assert len(cache) == 3
    cache.forget(4)
    assert cache.get(4, lambda: 40) == 40


def test_a_set_up_change_clears_the_set_up_caches_only() -> None:
    caches = StoreCaches()
    caches.branches.get(1, lambda: None)
    caches.service_names.get(1, lambda: "Umum")
    caches.counter_services.get(1, lambda: (1, 2))
    caches.officer_names.get(1, lambda: "Siti")
    caches.typical_seconds.get(1, lambda: 300.0)
    caches.setup_changed()
    assert [len(c) for c in caches.setup_caches()] == [0, 0, 0, 0]
    assert len(caches.officer_names) == 1
    assert len(caches.typical_seconds) == 1


def test_a_session_from_elsewhere_says_so() -> None:
    with pytest.raises(RuntimeError, match="does not come from a Database"):
        caches_of(Session())
