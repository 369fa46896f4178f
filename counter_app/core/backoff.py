"""Exponential backoff with full jitter and a cap, for every reconnect and retry.

The pause before retry ``n`` (0 for the first) is drawn uniformly between 0 and
``min(cap, base · 2ⁿ)`` ("full jitter"): clients that lost the same server at the same moment
spread their retries over the whole interval instead of coming back together. Pure: the
randomness is a parameter (a function giving a number in [0, 1)), so tests can fix it. The
default draws from a generator of its own, never from the module-level one: a reconnect loop in
a background thread must not move the random state another part of the process relies on.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable

Random = Callable[[], float]  # a number in [0, 1)
_MAX_DOUBLINGS = 64  # 2**64 times any sane base is past every cap; avoids float overflow
_OWN = _random.Random()


def full_jitter(attempt: int, *, base: float, cap: float, random: Random = _OWN.random) -> float:
    """The pause (seconds) before retry number ``attempt``, counting from 0."""
    if attempt < 0:
        raise ValueError(f"attempt cannot be negative, got {attempt}")
    ceiling = min(cap, base * 2.0 ** min(attempt, _MAX_DOUBLINGS))
    return ceiling * random()


class Backoff:
    """Failures in a row: :meth:`next` gives the pause before the next try and counts one more
    failure; :meth:`reset` after a success starts again from the shortest pause."""

    def __init__(self, base: float, cap: float, *, random: Random = _OWN.random) -> None:
        if base <= 0 or cap < base:
            raise ValueError(f"need 0 < base <= cap, got base={base}, cap={cap}")
        self.base = base
        self.cap = cap
        self.failures = 0
        self._random = random

    def next(self) -> float:
        pause = full_jitter(self.failures, base=self.base, cap=self.cap, random=self._random)
        self.failures += 1
        return pause

    def reset(self) -> None:
        self.failures = 0
