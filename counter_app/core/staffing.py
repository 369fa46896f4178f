"""Staffing by queueing theory: how many counters keep the wait under a target.

Each service in each hour is taken as an M/M/c queue (Poisson arrivals at ``arrivals_per_hour``,
exponential service with mean ``service_seconds``, ``c`` counters). Erlang C gives the chance
an arrival waits and the mean wait. Pure functions; the store feeds them the journal's history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Beyond this many counters the recommendation gives up (the load is beyond any office).
MAX_COUNTERS = 200


def offered_load(arrivals_per_hour: float, service_seconds: float) -> float:
    """Erlangs: arrivals per second × mean service seconds."""
    if arrivals_per_hour < 0 or service_seconds < 0:
        raise ValueError("arrivals and service time cannot be negative")
    return arrivals_per_hour / 3600.0 * service_seconds


def erlang_c(servers: int, load: float) -> float:
    """The probability an arrival has to wait in an M/M/c queue (1.0 when c ≤ load).

    Computed through the Erlang B recursion, which stays stable for large ``servers``.
    """
    if servers < 0 or load < 0:
        raise ValueError("servers and load cannot be negative")
    if load == 0:
        return 0.0
    if servers <= load:
        return 1.0
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    utilisation = load / servers
    return blocking / (1 - utilisation * (1 - blocking))


def mean_wait_seconds(servers: int, arrivals_per_hour: float, service_seconds: float) -> float:
    """The mean wait in the queue (seconds); ``math.inf`` when the counters cannot keep up."""
    load = offered_load(arrivals_per_hour, service_seconds)
    if load == 0:
        return 0.0
    if servers <= load:
        return math.inf
    return erlang_c(servers, load) * service_seconds / (servers - load)


def wait_within_probability(
    servers: int, arrivals_per_hour: float, service_seconds: float, target_seconds: float
) -> float:
    """The share of citizens waiting at most ``target_seconds`` (the service level)."""
    load = offered_load(arrivals_per_hour, service_seconds)
    if load == 0:
        return 1.0
    if servers <= load or service_seconds == 0:
        return 0.0 if servers <= load else 1.0
    waits = erlang_c(servers, load)
    return 1 - waits * math.exp(-(servers - load) * target_seconds / service_seconds)


def recommended_counters(
    arrivals_per_hour: float, service_seconds: float, target_wait_seconds: float
) -> int:
    """The fewest counters whose mean wait is at most the target (0 when nobody comes)."""
    load = offered_load(arrivals_per_hour, service_seconds)
    if load == 0:
        return 0
    servers = max(1, math.floor(load) + 1)
    while servers < MAX_COUNTERS:
        if mean_wait_seconds(servers, arrivals_per_hour, service_seconds) <= target_wait_seconds:
            return servers
        servers += 1
    return MAX_COUNTERS


@dataclass(frozen=True, slots=True)
class HourAdvice:
    """One service's hour: its demand, the advice, and how today's staffing compares."""

    hour: int
    arrivals_per_hour: float
    service_seconds: float
    recommended: int
    wait_recommended_seconds: float
    current: float
    wait_current_seconds: float


def advise_hour(
    hour: int,
    arrivals_per_hour: float,
    service_seconds: float,
    target_wait_seconds: float,
    current_counters: float,
) -> HourAdvice:
    """Advice for one hour; ``current_counters`` may be fractional (open part of the hour),
    and is rounded down for the queueing model (a counter open half the hour is not one)."""
    recommended = recommended_counters(arrivals_per_hour, service_seconds, target_wait_seconds)
    return HourAdvice(
        hour=hour,
        arrivals_per_hour=arrivals_per_hour,
        service_seconds=service_seconds,
        recommended=recommended,
        wait_recommended_seconds=mean_wait_seconds(recommended, arrivals_per_hour, service_seconds),
        current=current_counters,
        wait_current_seconds=mean_wait_seconds(
            math.floor(current_counters), arrivals_per_hour, service_seconds
        ),
    )
