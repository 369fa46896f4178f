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
* **no-show called back** — a visit skipped as a no-show and then called back (not a skip
  its counter undid within seconds) counts as a no-show *and* by how it finally closed
  (usually served): the officer's time was lost once, and the citizen was served. So
  ``served + no_show + …`` may exceed the visits by the number called back.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

HOURS = 24
P90 = 90
N = TypeVar("N", int, float)


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
    no_show_before: bool = False  # skipped as a no-show, then called back

    @property
    def wait_seconds(self) -> float | None:
        if self.arrived is None or self.first_called is None:
            return None
        return max(0.0, self.first_called - self.arrived)

    @property
    def service_seconds(self) -> float | None:
        if self.outcome is not Outcome.SERVED:
            return None
        return service_seconds(self.started, self.last_called, self.closed)


def service_seconds(
    started: float | None, last_called: float | None, finished: float | None
) -> float | None:
    """The one definition of a served ticket's service time, used by the reports and by the
    counter window's footer: from the start of service to its finish, or from the last call
    when the officer finished without pressing start. The wait between the call and the
    citizen reaching the counter is not service."""
    began = started if started is not None else last_called
    if began is None or finished is None:
        return None
    return max(0.0, finished - began)


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
    return _Group().figures()


def percentile(values: Iterable[float], percent: int) -> float | None:
    """Nearest rank: the smallest value that at least ``percent`` % of the values do not exceed."""
    return nearest_rank(sorted(values), percent)


def nearest_rank(ordered: Sequence[N], percent: int) -> N | None:
    """:func:`percentile` of values already in ascending order."""
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


class Record(NamedTuple):
    """One visit as the store reads it, reduced to what the figures need.

    Times are whole milliseconds (the database rounds them), so sums are exact integers.
    The store yields plain tuples in this order; the class names the fields.
    """

    service_id: int
    transferred_in: bool
    arrived_ms: int | None  # epoch milliseconds of the arrival in this queue
    wait_ms: int | None  # first call − arrival (may be negative if clocks were wrong)
    service_ms: int | None  # served visits only: finish − (start, or the last call)
    outcome: str | None  # an Outcome value; None while open
    counter_id: int | None  # the counter of the closing event
    close_seq: int  # its journal seq (to find who held that counter then)
    close_user: int | None  # who acted in the closing event
    no_show_before: bool  # a no-show called back (closed otherwise): also counts as no-show


Holder = Callable[[int, int], "int | None"]
ARRIVAL_BUCKET_MS = 15 * 60 * 1000  # every zone's offset is a multiple of 15 minutes


def _nobody(_counter_id: int, _seq: int) -> int | None:
    return None


@dataclass
class _Group:
    """The running figures of one group, fed with finished partial tallies."""

    issued: int = 0
    transferred_in: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    wait_runs: list[list[int]] = field(default_factory=list)  # each sorted
    within_target: int = 0
    service_ms: int = 0
    service_count: int = 0

    def figures(self) -> Figures:
        waits = [w for run in self.wait_runs for w in run]
        waits.sort()  # runs already sorted: timsort merges them
        called = len(waits)
        p90 = nearest_rank(waits, P90)
        return Figures(
            issued=self.issued,
            transferred_in=self.transferred_in,
            served=self.outcomes[Outcome.SERVED],
            no_show=self.outcomes[Outcome.NO_SHOW],
            cancelled=self.outcomes[Outcome.CANCELLED],
            transferred=self.outcomes[Outcome.TRANSFERRED],
            expired=self.outcomes[Outcome.EXPIRED],
            called=called,
            mean_wait_seconds=sum(waits) / called / 1000 if called else None,
            p90_wait_seconds=None if p90 is None else p90 / 1000,
            within_target=self.within_target,
            within_target_share=self.within_target / called if called else None,
            mean_service_seconds=(
                self.service_ms / self.service_count / 1000 if self.service_count else None
            ),
        )


def summarise_records(
    records: Iterable[tuple[Any, ...]],
    target_seconds: Mapping[int, float],
    zone: str,
    holder: Holder = _nobody,
) -> Report:
    """All figures of a period from its visit records (see :class:`Record`), in one pass.

    ``holder(counter_id, seq)``: the officer holding a counter just before journal event
    ``seq`` (:meth:`CounterHolders.holder`); a visit closed at a counter counts for that
    officer, or for whoever closed it if nobody held the counter. ``target_seconds``: each
    service's target wait; a service missing from it has no target.

    The pass only sorts visits into *partial tallies* keyed by (service, transferred in,
    outcome, counter, officer) — a few hundred keys, however many visits — and the groups
    (branch, service, counter, officer) are added up from those afterwards. The loop body is
    written out on purpose: a 90-day report runs it a few hundred thousand times.
    """
    partial: dict[tuple[Any, ...], list[Any]] = {}
    arrivals: dict[tuple[int, int], int] = {}
    get = partial.get
    for sid, moved, arrived, wait, service, outcome, counter, seq, user, lost in records:
        counter_id = officer = None
        if outcome is not None and counter is not None:
            counter_id = counter
            officer = holder(counter, seq) or user
        key = (sid, moved, outcome, counter_id, officer, bool(lost))
        tally = get(key)
        if tally is None:
            tally = partial[key] = [0, [], 0, 0]  # visits, waits, service ms, services
        tally[0] += 1
        if wait is not None:
            tally[1].append(wait)
        if service is not None:
            tally[2] += service if service > 0 else 0
            tally[3] += 1
        if not moved and arrived is not None:
            bucket = (sid, arrived // ARRIVAL_BUCKET_MS)
            arrivals[bucket] = arrivals.get(bucket, 0) + 1
    return _add_up(partial, arrivals, target_seconds, zone)


def _add_up(
    partial: dict[tuple[Any, ...], list[Any]],
    arrivals: dict[tuple[int, int], int],
    target_seconds: Mapping[int, float],
    zone: str,
) -> Report:
    total = _Group()
    services: dict[int, _Group] = {}
    counters: dict[int, _Group] = {}
    officers: dict[int, _Group] = {}
    for (sid, moved, outcome, counter_id, officer, no_show_before), tally in partial.items():
        count, waits, service_ms, service_count = tally
        waits.sort()
        if waits and waits[0] < 0:  # a clock set back: no negative waits
            waits = [max(0, w) for w in waits]
        target = target_seconds.get(sid)
        within = 0 if target is None else bisect_right(waits, round(target * 1000))
        groups = [total, services.get(sid) or services.setdefault(sid, _Group())]
        if counter_id is not None:
            groups.append(counters.get(counter_id) or counters.setdefault(counter_id, _Group()))
            if officer is not None:
                groups.append(officers.get(officer) or officers.setdefault(officer, _Group()))
        for group in groups:
            if moved:
                group.transferred_in += count
            else:
                group.issued += count
            if outcome is not None:
                group.outcomes[outcome] += count
            if no_show_before and outcome != Outcome.NO_SHOW:
                group.outcomes[Outcome.NO_SHOW] += count
            if waits:
                group.wait_runs.append(waits)
                group.within_target += within
            group.service_ms += service_ms
            group.service_count += service_count
    hour_of = LocalHours(zone).hour
    by_hour = [0] * HOURS
    service_hours: dict[int, list[int]] = {sid: [0] * HOURS for sid in services}
    for (sid, bucket), count in arrivals.items():
        hour = hour_of(bucket * ARRIVAL_BUCKET_MS / 1000)
        by_hour[hour] += count
        service_hours[sid][hour] += count
    return Report(
        total=total.figures(),
        services={k: v.figures() for k, v in services.items()},
        counters={k: v.figures() for k, v in counters.items()},
        officers={k: v.figures() for k, v in officers.items()},
        arrivals_by_hour=tuple(by_hour),
        service_arrivals_by_hour={k: tuple(v) for k, v in service_hours.items()},
    )


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def _record(visit: Visit) -> tuple[Any, ...]:
    wait = visit.wait_seconds
    service = visit.service_seconds
    return (
        visit.service_id,
        visit.transferred_in,
        _ms(visit.arrived),
        None if wait is None else round(wait * 1000),
        None if service is None else round(service * 1000),
        visit.outcome,
        visit.counter_id,
        0,
        visit.officer_id,
        visit.no_show_before,
    )


def summarise(visits: Iterable[Visit], target_seconds: Mapping[int, float], zone: str) -> Report:
    """All figures of a period from whole visits (each already knows its officer).

    Times are rounded to milliseconds, as the database does for :func:`summarise_records`.
    """
    return summarise_records((_record(v) for v in visits), target_seconds, zone)
