"""Position and expected wait for a waiting ticket: the closed form.

A ticket's printed estimate now comes from ``core.forward_estimate`` (the queue played forward
with the call policy); this closed form stays as its fallback for very long queues and as the
per-service figure of the boards. Method (docs/ESTIMATES.md):

* ``ahead`` = waiting tickets of the same service that arrived earlier (arrival order; the
  interleaving of priority classes moves individual tickets but not the average).
* ``typical service time`` = trimmed mean of the service's recent service durations (called →
  finished), dropping the slowest and quickest 10 %; the service's configured default when
  fewer than ``MIN_SAMPLES`` are known.
* ``capacity`` = the open counters serving the service, each counted as 1/k when it serves k
  services (a counter shared by three services gives each a third of its time).
* ``wait`` = (ahead + 1/2) x typical / capacity: the ``+ 1/2`` stands for the ticket being
  served at each counter, on average half done. No open counter → no estimate (``None``),
  which the UI shows as "counter not open yet" instead of inventing a number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_SAMPLES = 3
TRIM_SHARE = 0.10


@dataclass(frozen=True, slots=True)
class Estimate:
    ahead: int
    wait_seconds: int | None
    # The range most real waits fall in (p10..p90, whole minutes; core.forward_estimate).
    low_seconds: int | None = None
    high_seconds: int | None = None


def typical_service_seconds(durations: Sequence[float], default_seconds: float) -> float:
    """Trimmed mean of recent service durations, or the default when too few are known."""
    samples = sorted(d for d in durations if d >= 0 and math.isfinite(d))
    if len(samples) < MIN_SAMPLES:
        return default_seconds
    cut = int(len(samples) * TRIM_SHARE)
    kept = samples[cut : len(samples) - cut] if cut else samples
    return sum(kept) / len(kept)


def service_capacity(services_per_open_counter: Iterable[int]) -> float:
    """Counters' worth of attention a service gets: Σ 1/k over open counters serving it."""
    return sum(1.0 / k for k in services_per_open_counter if k > 0)


def estimate(ahead: int, typical_seconds: float, capacity: float) -> Estimate:
    if ahead < 0:
        raise ValueError("ahead cannot be negative")
    if capacity <= 0:
        return Estimate(ahead, None)
    return Estimate(ahead, round((ahead + 0.5) * typical_seconds / capacity))


def range_minutes(low_seconds: int, high_seconds: int) -> tuple[int, int]:
    """Whole minutes of a wait range: the low end rounded down, the high end up and at least
    one more than the low end, so the range never reads as a single promise."""
    low = max(0, low_seconds // 60)
    high = max(low + 1, -(-high_seconds // 60))
    return low, high
