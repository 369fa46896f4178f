"""The report of a run: tickets, waits, service times, no-shows, counter use, and how good the
wait estimate printed on each ticket was. The keys are described in docs/SIMULATOR.md."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from counter_app.simulate.records import IssuedTicket, RunRecord

ZERO_WIDTH_TOLERANCE_SECONDS = 60.0  # a point estimate "covers" a wait within ±1 minute


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` 0..1); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 2)


def spread(seconds: Sequence[float]) -> dict[str, Any]:
    """Count, mean, median, p90 and max of durations, in minutes."""
    return {
        "count": len(seconds),
        "mean_minutes": _minutes(statistics.fmean(seconds)) if seconds else None,
        "median_minutes": _minutes(statistics.median(seconds)) if seconds else None,
        "p90_minutes": _minutes(percentile(seconds, 0.9)),
        "max_minutes": _minutes(max(seconds)) if seconds else None,
    }


def covered(ticket: IssuedTicket, wait: float) -> bool:
    low, high = ticket.estimate_low_seconds, ticket.estimate_high_seconds
    assert low is not None and high is not None
    if low == high:  # a point: a zero-width range, met within the tolerance
        return abs(wait - low) <= ZERO_WIDTH_TOLERANCE_SECONDS
    return low <= wait <= high


def estimate_accuracy(tickets: Sequence[IssuedTicket]) -> dict[str, Any]:
    """The server's estimate at issue against the real wait (issue → first call), beside the
    naive estimate (ahead × average service time ÷ open counters)."""
    called = [t for t in tickets if t.wait_seconds is not None]
    with_estimate = [t for t in called if t.estimate_seconds is not None]
    errors = [t.estimate_seconds - t.wait_seconds for t in with_estimate]  # type: ignore[operator]
    absolute = [abs(e) for e in errors]
    naive = [t for t in called if t.naive_seconds is not None]
    naive_errors = [t.naive_seconds - t.wait_seconds for t in naive]  # type: ignore[operator]
    ranged = [t for t in with_estimate if t.estimate_low_seconds is not None]
    point_only = all(t.estimate_low_seconds == t.estimate_high_seconds for t in ranged)
    return {
        "tickets": len(called),
        "without_estimate": len(called) - len(with_estimate),
        "mae_minutes": _minutes(statistics.fmean(absolute)) if absolute else None,
        "median_abs_error_minutes": _minutes(statistics.median(absolute)) if absolute else None,
        "share_within_5_minutes": (
            round(sum(1 for a in absolute if a <= 300) / len(absolute), 4) if absolute else None
        ),
        "bias_minutes": _minutes(statistics.fmean(errors)) if errors else None,
        "naive_mae_minutes": (
            _minutes(statistics.fmean(abs(e) for e in naive_errors)) if naive_errors else None
        ),
        "naive_bias_minutes": _minutes(statistics.fmean(naive_errors)) if naive_errors else None,
        "range_coverage": (
            round(sum(1 for t in ranged if covered(t, t.wait_seconds or 0.0)) / len(ranged), 4)
            if ranged
            else None
        ),
        "range_kind": "point (zero width, ±1 min)" if point_only else "server range",
    }


def build_report(record: RunRecord, run: dict[str, Any]) -> dict[str, Any]:
    waits = [t.wait_seconds for t in record.issued if t.wait_seconds is not None]
    services = sorted({t.service for t in record.issued} | {v.service for v in record.visits})
    by_service: dict[str, Any] = {}
    for prefix in services:
        # Every entry into this queue (issued, checked in or transferred in): joined → called.
        service_waits = [
            (v.called_at - v.enqueued_at).total_seconds()
            for v in record.visits
            if v.service == prefix and v.enqueued_at is not None
        ]
        served = [v for v in record.visits if v.service == prefix and v.outcome != "no_show"]
        by_service[prefix] = {
            "issued": sum(1 for t in record.issued if t.service == prefix),
            "visits": sum(1 for v in record.visits if v.service == prefix),
            "wait": spread(service_waits),
            "service_time": spread([(v.closed_at - v.called_at).total_seconds() for v in served]),
        }
    counters: dict[str, Any] = {}
    open_total = busy_total = 0.0
    for number in sorted(record.counters):
        times = record.counters[number]
        open_total += times.open_seconds
        busy_total += times.busy_seconds
        counters[str(number)] = {
            "open_hours": round(times.open_seconds / 3600, 2),
            "busy_hours": round(times.busy_seconds / 3600, 2),
            "break_hours": round(times.break_seconds / 3600, 2),
            "utilisation": round(times.busy_seconds / times.open_seconds, 4)
            if times.open_seconds
            else None,
        }
    outcomes = [v.outcome for v in record.visits]
    served_visits = [v for v in record.visits if v.outcome != "no_show"]
    return {
        "run": run,
        "tickets": {
            "issued": len(record.issued),
            "walk_in": sum(1 for t in record.issued if t.source == "kiosk"),
            "checked_in": sum(1 for t in record.issued if t.source == "booking"),
            "called": len(waits),
            "served": outcomes.count("done"),
            "transferred": outcomes.count("transferred"),
            "bookings_made": record.bookings_made,
            "refused": dict(sorted(record.refused.items())),
        },
        "waits": spread(waits),
        "service_times": spread(
            [(v.closed_at - v.called_at).total_seconds() for v in served_visits]
        ),
        "no_shows": {
            "walk_in": outcomes.count("no_show"),
            "booking": record.booking_no_shows,
        },
        "counters": {
            "utilisation": round(busy_total / open_total, 4) if open_total else None,
            "each": counters,
        },
        "services": by_service,
        "estimate": estimate_accuracy(record.issued),
    }


def summary_lines(report: dict[str, Any]) -> list[str]:
    t, w, e = report["tickets"], report["waits"], report["estimate"]
    run = report["run"]
    return [
        f"{run['profile']}: {run['days']} day(s), {t['issued']} tickets "
        f"({t['walk_in']} walk-in, {t['checked_in']} booked), {t['served']} served, "
        f"{t['transferred']} transferred, {report['no_shows']['walk_in']} skipped, "
        f"{report['no_shows']['booking']} booking no-shows",
        f"wait: mean {w['mean_minutes']} min, p90 {w['p90_minutes']} min; "
        f"counters busy {_share(report['counters']['utilisation'])} of their open time",
        f"estimate: MAE {e['mae_minutes']} min (naive {e['naive_mae_minutes']}), median "
        f"|error| {e['median_abs_error_minutes']} min, within 5 min "
        f"{_share(e['share_within_5_minutes'])}, bias {e['bias_minutes']} min, "
        f"range coverage {_share(e['range_coverage'])}",
        f"took {run['wall_seconds']} s for {run['requests']} requests",
    ]


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"
