"""Exponential backoff with full jitter and a cap (core.backoff)."""

from __future__ import annotations

import random

import pytest

from counter_app.core.backoff import Backoff, full_jitter


def test_the_ceiling_doubles_up_to_the_cap() -> None:
    top = [full_jitter(n, base=0.5, cap=3.0, random=lambda: 1.0) for n in range(6)]
    assert top == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]
    assert full_jitter(10_000, base=0.5, cap=3.0, random=lambda: 1.0) == 3.0  # no overflow


def test_the_pause_is_drawn_from_zero_to_the_ceiling() -> None:
    assert full_jitter(2, base=1.0, cap=30.0, random=lambda: 0.0) == 0.0
    assert full_jitter(2, base=1.0, cap=30.0, random=lambda: 0.25) == 1.0
    pauses = [full_jitter(3, base=1.0, cap=30.0) for _ in range(2000)]
    assert all(0.0 <= p < 8.0 for p in pauses)
    assert min(pauses) < 1.0 and max(pauses) > 7.0  # the whole interval, not only its top


def test_backoff_counts_failures_and_starts_again_after_a_success() -> None:
    backoff = Backoff(0.2, 1.0, random=lambda: 1.0)
    assert [backoff.next() for _ in range(5)] == [0.2, 0.4, 0.8, 1.0, 1.0]
    assert backoff.failures == 5
    backoff.reset()
    assert backoff.next() == 0.2


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="base <= cap"):
        Backoff(0, 1.0)
    with pytest.raises(ValueError, match="base <= cap"):
        Backoff(2.0, 1.0)
    with pytest.raises(ValueError, match="negative"):
        full_jitter(-1, base=1.0, cap=2.0)


def test_the_default_jitter_leaves_the_module_random_state_alone() -> None:
    """Reconnect loops run in background threads; drawing from ``random``'s shared state there
    would move it under anything else in the process that seeds or draws from it."""
    before = random.getstate()
    backoff = Backoff(0.1, 5.0)
    pauses = [backoff.next() for _ in range(20)]
    assert random.getstate() == before
    assert len(set(pauses)) > 1 and all(0 <= p <= 5.0 for p in pauses)
