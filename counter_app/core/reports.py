"""Report figures from plain records of queue visits: counts, waits, service times, arrivals.

A *visit* is one queue entry: a ticket from its issue (or from a transfer into another queue)
to the event that closed it. ``store.reports`` rebuilds the visits of a period from the
journal; everything here is arithmetic over them, so it is tested with hand-made visits.

Definitions (docs/REPORTS.md says the same for readers):

* **waiting time** — from the visit's arrival in its queue to its *first* call. A
  transferred ticket's new visit waits from the transfer.
* **within target** — a called visit whose wait is at most its service's
  ``target_wait_minutes``; the share is over the visits called in the period.
* **service time** — for a served visit, from ``started`` to ``finished``, or from the last
  call when it was finished without being started.
* **90th percentile** — nearest rank: the smallest wait that at least 90 % of the waits do
  not exceed (with 10 waits, the 9th smallest).
* Counter and officer figures count a visit where it was *closed* (served, no-show,
  transferred away, expired while called); its wait and service time go there too.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo

HOURS = 24
P90 = 90


class Outcome(StrEnum):
    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"
    EXPIRED = "expired"


class Visit(NamedTuple):
    """One queue entry. Times are seconds since the epoch (UTC); None when it did not happen.

    A named tuple rather than a dataclass: a 90-day report builds a few hundred thousand.
    """

    service_id: int
    transferred_in: bool
    arrived: float | None
    first_called: float | None = None
    last_called: float | None = None
    started: float | None = None
    closed: float | None = None
    outcome: Outcome | None = None  # None while it is still open
    counter_id: int | None = None  # the counter that closed it
    officer_id: int | None = None  # the officer at that counter

    @property
    def wait_seconds(self) -> float | None:
        if self.arrived is None or self.first_called is None:
            return None
        return max(0.0, self.first_called - self.arrived)

    @property
    def service_seconds(self) -> float | None:
        if self.outcome is not Outcome.SERVED or self.closed is None:
            return None
        began = self.started if self.started is not None else self.last_called
        if began is None:
            return None
        return max(0.0, self.closed - began)


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one group (the whole branch, a service, a counter or an officer)."""

    issued: int
    transferred_in: int
    served: int
    no_show: int
    cancelled: int
    transferred: int
    expired: int
    called: int  # visits with a waiting time
    mean_wait_seconds: float | None
    p90_wait_seconds: float | None
    within_target: int
    within_target_share: float | None
    mean_service_seconds: float | None


@dataclass
class _Tally:
    issued: int = 0
    transferred_in: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    waits: list[float] = field(default_factory=list)
    within_target: int = 0
    service_times: list[float] = field(default_factory=list)

    def figures(self) -> Figures:
        waits = self.waits
        return Figures(
            issued=self.issued,
            transferred_in=self.transferred_in,
            served=self.outcomes[Outcome.SERVED],
            no_show=self.outcomes[Outcome.NO_SHOW],
            cancelled=self.outcomes[Outcome.CANCELLED],
            transferred=self.outcomes[Outcome.TRANSFERRED],
            expired=self.outcomes[Outcome.EXPIRED],
            called=len(waits),
            mean_wait_seconds=mean(waits),
            p90_wait_seconds=percentile(waits, P90),
            within_target=self.within_target,
            within_target_share=self.within_target / len(waits) if waits else None,
            mean_service_seconds=mean(self.service_times),
        )


@dataclass(frozen=True, slots=True)
class Report:
    total: Figures
    services: dict[int, Figures]
    counters: dict[int, Figures]  # only counters that closed a visit
    officers: dict[int, Figures]  # only officers who closed a visit
    arrivals_by_hour: tuple[int, ...]  # issued tickets by local hour of day, 0..23
    service_arrivals_by_hour: dict[int, tuple[int, ...]]


def empty_figures() -> Figures:
    """The figures of a group with no visits in the period."""
    return _Tally().figures()


def mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def percentile(values: Iterable[float], percent: int) -> float | None:
    """Nearest rank: the smallest value that at least ``percent`` % of the values do not exceed."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 < percent <= 100:
        raise ValueError("percent is in 1..100")
    rank = -(-percent * len(ordered) // 100)  # ceil(percent × n / 100), in integers
    return ordered[rank - 1]


class LocalHours:
    """Local hour of day of epoch seconds in a zone, cached per UTC hour.

    Every Indonesian zone is a whole number of hours from UTC, so one UTC hour is one local
    hour; a zone that is not (at some moment) is computed value by value.
    """

    def __init__(self, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        self._by_utc_hour: dict[int, int] = {}

    def hour(self, epoch: float) -> int:
        bucket = int(epoch // 3600)
        found = self._by_utc_hour.get(bucket)
        if found is not None:
            return found
        start = datetime.fromtimestamp(bucket * 3600, self.zone)
        offset = start.utcoffset()
        if offset is not None and offset.total_seconds() % 3600 == 0:
            self._by_utc_hour[bucket] = start.hour
            return start.hour
        return datetime.fromtimestamp(epoch, self.zone).hour


class CounterHolders:
    """Who held each counter when, from the journal's counter events (their ``seq`` order).

    ``changes`` are (counter id, journal seq, officer id after the change or None). The
    officer of a ticket is the one holding its counter when it was called — the rule the
    server uses when it writes ``officer_id`` on the ticket.
    """

    def __init__(self, changes: Iterable[tuple[int, int, int | None]]) -> None:
        timeline: dict[int, list[tuple[int, int | None]]] = {}
        for counter_id, seq, officer_id in changes:
            timeline.setdefault(counter_id, []).append((seq, officer_id))
        self._seqs: dict[int, list[int]] = {}
        self._officers: dict[int, list[int | None]] = {}
        for counter_id, rows in timeline.items():
            rows.sort()
            self._seqs[counter_id] = [seq for seq, _ in rows]
            self._officers[counter_id] = [officer for _, officer in rows]

    def holder(self, counter_id: int, seq: int) -> int | None:
        """The officer holding ``counter_id`` just before journal event ``seq``."""
        seqs = self._seqs.get(counter_id)
        if not seqs:
            return None
        index = bisect_left(seqs, seq) - 1
        return self._officers[counter_id][index] if index >= 0 else None


def summarise(visits: Iterable[Visit], target_seconds: Mapping[int, float], zone: str) -> Report:
    """All figures of a period in one pass over its visits.

    ``target_seconds``: each service's target wait; a service missing from it has no target
    (its visits never count as within target). Durations are rounded to milliseconds (times
    reach us as floats from the database, a few microseconds off).
    """
    hour_of = LocalHours(zone).hour
    total = _Tally()
    services: dict[int, _Tally] = {}
    counters: dict[int, _Tally] = {}
    officers: dict[int, _Tally] = {}
    arrivals = [0] * HOURS
    service_arrivals: dict[int, list[int]] = {}
    served = Outcome.SERVED
    # The loop body is written out (no properties, no method per group): a 90-day report
    # runs it a few hundred thousand times.
    for (
        service_id,
        transferred_in,
        arrived,
        first_called,
        last_called,
        started,
        closed,
        outcome,
        counter_id,
        officer_id,
    ) in visits:
        wait = None
        if first_called is not None and arrived is not None:
            wait = max(0.0, round(first_called - arrived, 3))
        service = None
        if outcome is served and closed is not None:
            began = started if started is not None else last_called
            if began is not None:
                service = max(0.0, round(closed - began, 3))
        target = target_seconds.get(service_id)
        on_target = wait is not None and target is not None and wait <= target
        tally = services.get(service_id)
        if tally is None:
            tally = services[service_id] = _Tally()
            service_arrivals[service_id] = [0] * HOURS
        groups = [total, tally]
        if outcome is not None and counter_id is not None:
            groups.append(counters.get(counter_id) or counters.setdefault(counter_id, _Tally()))
            if officer_id is not None:
                groups.append(officers.get(officer_id) or officers.setdefault(officer_id, _Tally()))
        for group in groups:
            if transferred_in:
                group.transferred_in += 1
            else:
                group.issued += 1
            if outcome is not None:
                group.outcomes[outcome] += 1
            if wait is not None:
                group.waits.append(wait)
                if on_target:
                    group.within_target += 1
            if service is not None:
                group.service_times.append(service)
        if not transferred_in and arrived is not None:
            hour = hour_of(round(arrived, 3))  # 08:00:00 may come back as 07:59:59.99996
            arrivals[hour] += 1
            service_arrivals[service_id][hour] += 1
    return Report(
        total=total.figures(),
        services={k: v.figures() for k, v in services.items()},
        counters={k: v.figures() for k, v in counters.items()},
        officers={k: v.figures() for k, v in officers.items()},
        arrivals_by_hour=tuple(arrivals),
        service_arrivals_by_hour={k: tuple(v) for k, v in service_arrivals.items()},
    )
