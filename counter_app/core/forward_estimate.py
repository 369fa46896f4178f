"""Wait of one waiting ticket by playing the queue forward with the real call policy.

The naive estimate (people ahead x typical time / counters) ignores what the server knows:
how far along each counter is with its current ticket, the priority interleave, transfers
addressed to a counter, counters shared by several services. Here the open counters "serve"
the waiting tickets in a small discrete simulation: each counter, when it becomes free, takes
the ticket ``core.policy.choose_next`` would give it, and is busy for that service's typical
time. The ticket's wait is the moment a counter takes it.

The range comes from the spread of service times: the finish time of the counter that calls
the ticket is a sum of service times; with independent times the sum's variance is the sum of
their variances, and since all counters share the work the variance of the moment a counter
frees up is about (Σ σ²) / m² for m counters. On top of that a share of the wait stands for
what the model cannot know (priority tickets that have not arrived yet, no-shows, breaks).
``low``/``high`` are the 10th and 90th percentiles of a log-normal with that mean and
spread, so about 80 % of real waits fall inside.

Pure: no SQL, no clock; ``store.estimates`` gathers the inputs.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from counter_app.core.estimates import MIN_SAMPLES, typical_service_seconds
from counter_app.core.policy import (
    CallHistory,
    Candidate,
    CounterView,
    PolicySettings,
    choose_next,
    queue_heads,
)

# The 90th percentile of the standard normal: p10..p90 covers 80 % of a normal spread.
Z_P90 = 1.2816
# The part of the wait no input explains (future priority arrivals, no-shows, breaks), as a
# coefficient of variation; measured on the shipped simulator profiles (docs/ESTIMATES.md).
MODEL_CV = 0.25
# Never promise a range narrower than this either side: clocks, walking to the counter.
MIN_HALF_WIDTH_SECONDS = 60.0
# A counter that is past its typical time is still expected to need this share of it.
MIN_REMAINING_SHARE = 0.3
# Calls simulated at most; beyond, the estimate falls back to the closed form.
MAX_STEPS = 400


@dataclass(frozen=True, slots=True)
class ServiceTime:
    """Typical service time of a service and its spread (standard deviation), in seconds."""

    mean: float
    sd: float


@dataclass(frozen=True, slots=True)
class OpenCounter:
    """An open counter as the forward simulation sees it."""

    view: CounterView
    history: CallHistory = field(default_factory=CallHistory)
    # The ticket it is busy with and for how long already (None: idle, or on a break).
    busy_service_id: int | None = None
    busy_elapsed_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Forecast:
    """Expected wait with its range; all ``None`` when no open counter will call the ticket."""

    wait_seconds: int | None
    low_seconds: int | None
    high_seconds: int | None


NO_FORECAST = Forecast(None, None, None)


def remaining_service(elapsed: float, time: ServiceTime) -> tuple[float, float]:
    """Expected remaining time (and its variance) of a ticket in service for ``elapsed``."""
    floor = MIN_REMAINING_SHARE * time.mean
    remaining = max(time.mean - max(elapsed, 0.0), floor)
    share = remaining / time.mean if time.mean > 0 else 1.0
    return remaining, (time.sd * share) ** 2


def wait_range(mean: float, variance: float) -> Forecast:
    """Round the expected wait and give its p10..p90 range (log-normal, whole minutes)."""
    mean = max(mean, 0.0)
    total_variance = max(variance, 0.0) + (MODEL_CV * mean) ** 2
    if mean <= 0:
        return Forecast(0, 0, round(MIN_HALF_WIDTH_SECONDS))
    # Log-normal with this mean and variance: σ² = ln(1 + v/m²), μ = ln m − σ²/2.
    sigma2 = math.log1p(total_variance / (mean * mean))
    sigma = math.sqrt(sigma2)
    mu = math.log(mean) - sigma2 / 2
    low = math.exp(mu - Z_P90 * sigma)
    high = math.exp(mu + Z_P90 * sigma)
    low = min(low, mean - MIN_HALF_WIDTH_SECONDS)
    high = max(high, mean + MIN_HALF_WIDTH_SECONDS)
    low_minutes = max(0, math.floor(low / 60))
    high_minutes = math.ceil(high / 60)
    return Forecast(round(mean), low_minutes * 60, high_minutes * 60)


class _Queue:
    """The waiting tickets, keeping what ``choose_next`` needs cheap to find: ordinary
    tickets by (service, kind) in arrival order, the few special ones apart."""

    def __init__(self, waiting: Iterable[Candidate], settings: PolicySettings) -> None:
        self.settings = settings
        self.special: list[Candidate] = []
        self.lines: dict[tuple[int, bool], list[Candidate]] = {}
        self.starts: dict[tuple[int, bool], int] = {}
        for ticket in waiting:
            special = (ticket.target_counter_id, ticket.front_at, ticket.appointment_at)
            if any(value is not None for value in special):
                self.special.append(ticket)
            else:
                self.lines.setdefault((ticket.service_id, ticket.priority), []).append(ticket)
        for key, line in self.lines.items():
            line.sort(key=lambda t: (t.issued_at, t.ticket_id))
            self.starts[key] = 0

    def heads(self, counter: CounterView, now: datetime) -> list[Candidate]:
        heads = queue_heads(counter, self.special, self.settings, now) if self.special else []
        for service_id in counter.service_ids:
            for priority in (True, False):
                key = (service_id, priority)
                line = self.lines.get(key)
                if line is not None and self.starts[key] < len(line):
                    heads.append(line[self.starts[key]])
        return heads

    def remove(self, ticket: Candidate) -> None:
        key = (ticket.service_id, ticket.priority)
        line = self.lines.get(key)
        if line is not None and self.starts[key] < len(line) and line[self.starts[key]] is ticket:
            self.starts[key] += 1
        else:
            self.special.remove(ticket)


# Tickets still to come that will go ahead take at most this share of the counters' time in
# the correction below (beyond it the queue grows without bound and no number is honest).
MAX_JUMP_LOAD = 0.5


def jump_load(
    target: Candidate,
    counters: Sequence[OpenCounter],
    times: Mapping[int, ServiceTime],
    jump_rates: Mapping[int, float],
) -> float:
    """Share of the time of the counters that can call ``target`` that tickets arriving
    later but going ahead of it will take (priority tickets, for a regular one): Σ rate x
    mean service time over their services, divided by those counters."""
    if target.priority or target.target_counter_id is not None:
        return 0.0
    serving = [c for c in counters if target.service_id in c.view.service_ids]
    if not serving:
        return 0.0
    services = {s for c in serving for s in c.view.service_ids}
    work = sum(jump_rates.get(s, 0.0) * times[s].mean for s in services if s in times)
    return min(work / len(serving), MAX_JUMP_LOAD)


def forecast_wait(
    ticket_id: int,
    waiting: Sequence[Candidate],
    counters: Sequence[OpenCounter],
    times: Mapping[int, ServiceTime],
    settings: PolicySettings,
    now: datetime,
    jump_rates: Mapping[int, float] | None = None,
) -> Forecast | None:
    """Expected wait of ``ticket_id`` (one of ``waiting``) until a counter calls it.

    ``jump_rates``: per service, priority tickets arriving per second lately; during the wait
    those that arrive go ahead of a regular ticket, stretching its wait by 1 / (1 − load).
    ``None`` when the simulation would take more than ``MAX_STEPS`` calls (the caller falls
    back to the closed form); ``NO_FORECAST`` when no open counter will ever call it.
    """
    target = next((t for t in waiting if t.ticket_id == ticket_id), None)
    if target is None:
        raise ValueError("the ticket must be among the waiting")
    stretch = 1.0 / (1.0 - jump_load(target, counters, times, jump_rates or {}))
    queue = _Queue(waiting, settings)
    # Per counter: when it is next free, the variance accumulated so far, its history.
    free: list[tuple[float, int]] = []
    histories: dict[int, CallHistory] = {}
    views: dict[int, CounterView] = {}
    total_variance = 0.0
    for counter in counters:
        start = 0.0
        if counter.busy_service_id is not None and counter.busy_service_id in times:
            start, variance = remaining_service(
                counter.busy_elapsed_seconds, times[counter.busy_service_id]
            )
            total_variance += variance
        cid = counter.view.counter_id
        views[cid] = counter.view
        histories[cid] = counter.history
        heapq.heappush(free, (start, cid))
    steps = 0
    while free:
        at, cid = heapq.heappop(free)
        moment = now + timedelta(seconds=at)
        choice = choose_next(
            views[cid], queue.heads(views[cid], moment), histories[cid], settings, moment
        )
        if choice is None:
            continue  # nothing this counter serves is waiting ahead: it drops out
        picked = choice.ticket
        if picked.ticket_id == ticket_id:
            counting = len(free) + 1
            variance = total_variance / (counting * counting)
            return wait_range(at * stretch, variance * stretch * stretch)
        steps += 1
        if steps > MAX_STEPS:
            return None
        queue.remove(picked)
        histories[cid] = choice.history
        time = times.get(picked.service_id, ServiceTime(0.0, 0.0))
        total_variance += time.sd**2
        heapq.heappush(free, (at + time.mean, cid))
    return NO_FORECAST


def closed_form(ahead: int, time: ServiceTime, capacity: float) -> Forecast:
    """The fallback for long queues: (ahead + 1/2) x typical / capacity, with its range."""
    if capacity <= 0:
        return NO_FORECAST
    mean = (ahead + 0.5) * time.mean / capacity
    variance = (ahead + 1) * time.sd**2 / (capacity * capacity)
    return wait_range(mean, variance)


def service_time(durations: Sequence[float], default_seconds: float) -> ServiceTime:
    """Typical time (the trimmed mean, as the boards use) and the spread of recent durations;
    the configured default with a spread of half of it (service times vary about that much)
    until ``MIN_SAMPLES`` are known.

    The trimmed mean rather than the plain one: a single ticket left open over a break or an
    argument at the counter would otherwise lengthen every forecast for the next 30 tickets
    (measured on the simulator: the plain mean over-estimated Dukcapil waits by 2.5 minutes).
    """
    samples = [d for d in durations if d >= 0 and math.isfinite(d)]
    if len(samples) < MIN_SAMPLES:
        return ServiceTime(default_seconds, 0.5 * default_seconds)
    average = sum(samples) / len(samples)
    variance = sum((d - average) ** 2 for d in samples) / (len(samples) - 1)
    return ServiceTime(typical_service_seconds(samples, default_seconds), math.sqrt(variance))
