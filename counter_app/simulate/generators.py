"""Random draws for a simulated day, all from one seeded ``random.Random``: the same seed gives
the same citizens, the same service times and the same no-shows."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from counter_app.simulate.profile import Duration, Profile
from counter_app.simulate.records import Visit


@dataclass(frozen=True, slots=True)
class Arrival:
    """A walk-in citizen taking a number at the kiosk."""

    at_seconds: float  # after opening
    service: str  # prefix
    priority: bool


def lognormal_seconds(rng: random.Random, duration: Duration) -> float:
    """A log-normal draw with the given mean (minutes) and coefficient of variation, in seconds.

    For a log-normal, cv² = exp(σ²) − 1, and the mean is exp(μ + σ²/2)."""
    mean = duration.mean * 60
    if duration.cv == 0:
        return mean
    sigma = math.sqrt(math.log1p(duration.cv**2))
    return rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)


def rate_at(per_hour: float, shape: Sequence[float], seconds: float) -> float:
    """Arrivals per second at this time after opening; the shape's last value repeats."""
    hour = int(seconds // 3600)
    factor = shape[min(hour, len(shape) - 1)]
    return per_hour * factor / 3600


def arrivals(rng: random.Random, profile: Profile, open_seconds: float) -> list[Arrival]:
    """Walk-ins over the open time: a Poisson process per service whose rate is constant
    within each hour (so drawn hour by hour, exactly), sorted by time."""
    found: list[Arrival] = []
    for prefix in sorted(profile.services):
        service = profile.services[prefix]
        hour_start = 0.0
        while hour_start < open_seconds:
            hour_end = min(hour_start + 3600, open_seconds)
            rate = rate_at(service.per_hour, profile.hourly_shape, hour_start)
            t = hour_start
            while rate > 0:
                t += rng.expovariate(rate)
                if t >= hour_end:
                    break
                found.append(Arrival(t, prefix, rng.random() < profile.priority_share))
            hour_start = hour_end
    found.sort(key=lambda a: (a.at_seconds, a.service))
    return found


def next_service(rng: random.Random, chances: dict[str, float]) -> str | None:
    """Where a served citizen goes next (a transfer), or ``None`` to go home."""
    draw = rng.random()
    total = 0.0
    for prefix in sorted(chances):
        total += chances[prefix]
        if draw < total:
            return prefix
    return None


def plan_visits(rng: random.Random, profile: Profile, first: str, limit: int = 6) -> list[Visit]:
    """The citizen's stops: the first service, then transfers as the profile's ``next``
    chances say (at most ``limit`` stops). A no-show ends the path."""
    visits: list[Visit] = []
    service: str | None = first
    while service is not None and len(visits) < limit:
        settings = profile.services[service]
        no_show = rng.random() < profile.officers.walk_in_no_show
        visits.append(
            Visit(
                service=service,
                service_seconds=lognormal_seconds(rng, settings.service_minutes),
                walk_seconds=lognormal_seconds(rng, profile.officers.walk_to_counter),
                no_show=no_show,
            )
        )
        service = None if no_show else next_service(rng, settings.next)
    return visits


def citizen_rng(seed: int, day_index: int, kind: str, index: int) -> random.Random:
    """Each citizen's own stream, so one citizen's draws do not shift every later one."""
    return random.Random(f"{seed}:{day_index}:{kind}:{index}")
