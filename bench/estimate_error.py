"""How wrong is the printed waiting-time estimate? A simulated office day.

Citizens arrive (Poisson, with a busier morning) for several services; counters serve their
services with the real call policy (core.policy) and log-normal service times. When each ticket
is issued we compute its estimate as the server does (core.forward_estimate: the queue played
forward from the counters' current tickets; the closed form of core.estimates beside it, fed
with what the server would know then); when it is called we know its real wait. Reports the
error of both and how often the real wait fell inside the range given.

    python -m bench.estimate_error --days 20 --seed 1
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import statistics
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from counter_app.core.estimates import estimate, service_capacity, typical_service_seconds
from counter_app.core.forward_estimate import (
    OpenCounter,
    closed_form,
    forecast_wait,
    service_time,
)
from counter_app.core.policy import CallHistory, Candidate, CounterView, PolicySettings, choose_next

START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 08:00 WIB
OPEN_SECONDS = 7 * 3600


@dataclass
class Office:
    # service -> (mean service seconds, arrivals per hour at the peak)
    services: dict[int, tuple[float, float]]
    counters: dict[int, tuple[int, ...]]


OFFICE = Office(
    services={1: (420.0, 24.0), 2: (300.0, 18.0), 3: (360.0, 10.0), 4: (480.0, 6.0)},
    counters={1: (1,), 2: (1, 2), 3: (2, 3), 4: (3, 4), 5: (1,)},
)


@dataclass
class Result:
    errors: list[float] = field(default_factory=list)  # estimate - actual, seconds
    actual: list[float] = field(default_factory=list)
    closed_errors: list[float] = field(default_factory=list)  # the old closed form's
    inside: list[bool] = field(default_factory=list)  # the real wait within the range


def arrival_rate(service_peak: float, t: float) -> float:
    """Per second; the morning is busiest (a common Dukcapil pattern)."""
    hour = t / 3600
    shape = 1.0 if hour < 2 else 0.7 if hour < 4 else 0.4
    return service_peak * shape / 3600


def simulate_day(rng: random.Random, result: Result) -> None:
    settings = PolicySettings()
    views = {c: CounterView(c, s) for c, s in OFFICE.counters.items()}
    history = {c: CallHistory() for c in OFFICE.counters}
    recent: dict[int, deque[float]] = {s: deque(maxlen=30) for s in OFFICE.services}
    waiting: dict[int, Candidate] = {}
    estimates: dict[int, tuple[float, float, float] | None] = {}
    closed: dict[int, float | None] = {}
    busy: dict[int, tuple[int, float]] = {}  # counter -> (service, started)
    events: list[tuple[float, int, str, int]] = []
    seq = 0
    for service, (_, peak) in OFFICE.services.items():
        t = 0.0
        while True:
            t += rng.expovariate(max(arrival_rate(peak, t), 1e-9))
            if t >= OPEN_SECONDS:
                break
            seq += 1
            heapq.heappush(events, (t, seq, "arrive", service))
    for counter in OFFICE.counters:
        seq += 1
        heapq.heappush(events, (0.0, seq, "free", counter))
    idle: set[int] = set()
    ticket_id = 0

    def try_call(counter: int, now: float) -> bool:
        nonlocal seq
        choice = choose_next(
            views[counter],
            waiting.values(),
            history[counter],
            settings,
            START + timedelta(seconds=now),
        )
        if choice is None:
            return False
        picked = waiting.pop(choice.ticket.ticket_id)
        history[counter] = choice.history
        issued = (picked.issued_at - START).total_seconds()
        predicted = estimates.pop(picked.ticket_id)
        old = closed.pop(picked.ticket_id)
        actual = now - issued
        if predicted is not None and old is not None:
            wait, low, high = predicted
            result.errors.append(wait - actual)
            result.closed_errors.append(old - actual)
            result.actual.append(actual)
            result.inside.append(low <= actual <= high)
        mean = OFFICE.services[picked.service_id][0]
        sigma = 0.5
        duration = rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)
        recent[picked.service_id].append(duration)
        busy[counter] = (picked.service_id, now)
        seq += 1
        heapq.heappush(events, (now + duration, seq, "free", counter))
        return True

    while events:
        now, _, kind, ident = heapq.heappop(events)
        if kind == "arrive":
            ticket_id += 1
            at = START + timedelta(seconds=now)
            ahead = sum(1 for t in waiting.values() if t.service_id == ident)
            typical = typical_service_seconds(list(recent[ident]), OFFICE.services[ident][0])
            capacity = service_capacity(len(s) for s in OFFICE.counters.values() if ident in s)
            closed[ticket_id] = estimate(ahead, typical, capacity).wait_seconds
            waiting[ticket_id] = Candidate(ticket_id, ident, at, at)
            times = {
                s: service_time(list(recent[s]), mean) for s, (mean, _) in OFFICE.services.items()
            }
            counters = [
                OpenCounter(
                    views[c],
                    history[c],
                    busy[c][0] if c in busy else None,
                    now - busy[c][1] if c in busy else 0.0,
                )
                for c in OFFICE.counters
            ]
            forecast = forecast_wait(
                ticket_id, list(waiting.values()), counters, times, settings, at
            ) or closed_form(ahead, times[ident], capacity)
            if forecast.wait_seconds is None:
                estimates[ticket_id] = None
            else:
                assert forecast.low_seconds is not None and forecast.high_seconds is not None
                estimates[ticket_id] = (
                    forecast.wait_seconds,
                    forecast.low_seconds,
                    forecast.high_seconds,
                )
            for counter in sorted(idle):
                if try_call(counter, now):
                    idle.discard(counter)
                    break
        elif not try_call(ident, now):
            busy.pop(ident, None)
            idle.add(ident)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    result = Result()
    for _ in range(args.days):
        simulate_day(rng, result)
    abs_min = [abs(e) / 60 for e in result.errors]
    within_5 = sum(1 for e in abs_min if e <= 5) / len(abs_min)
    within_10 = sum(1 for e in abs_min if e <= 10) / len(abs_min)
    relative = [abs(e) / a for e, a in zip(result.errors, result.actual, strict=True) if a >= 600]
    print(f"tickets={len(result.errors)} over {args.days} simulated days, seed {args.seed}")
    print(
        f"actual wait: median {statistics.median(result.actual) / 60:.1f} min, "
        f"p90 {sorted(result.actual)[int(0.9 * len(result.actual))] / 60:.1f} min"
    )
    print(
        f"error (estimate - actual): mean {statistics.mean(result.errors) / 60:+.1f} min, "
        f"median |error| {statistics.median(abs_min):.1f} min"
    )
    print(
        f"within 5 min: {within_5:.0%}, within 10 min: {within_10:.0%}, "
        f"median relative error for waits over 10 min: {statistics.median(relative):.0%}"
    )
    mae = statistics.mean(abs(e) for e in result.errors) / 60
    closed_mae = statistics.mean(abs(e) for e in result.closed_errors) / 60
    coverage = sum(result.inside) / len(result.inside)
    print(
        f"MAE {mae:.2f} min (closed form {closed_mae:.2f} min); "
        f"real wait within the range shown: {coverage:.0%}"
    )


if __name__ == "__main__":
    main()
