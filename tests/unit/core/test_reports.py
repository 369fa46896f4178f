"""Report arithmetic over hand-made visits; every expected number is worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from counter_app.core.reports import (
    CounterHolders,
    LocalHours,
    Outcome,
    Visit,
    percentile,
    service_seconds,
    summarise,
    summarise_records,
)

# 2026-03-02 08:00 WIB = 01:00 UTC
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC).timestamp()
MIN = 60.0


def at(minutes: float) -> float:
    return T0 + minutes * MIN


def test_percentile_is_nearest_rank() -> None:
    assert percentile(range(1, 11), 90) == 9  # ceil(0.9 × 10) = 9th
    assert percentile(range(1, 12), 90) == 10  # ceil(0.9 × 11) = 10th
    assert percentile(range(1, 21), 90) == 18
    assert percentile([7.0], 90) == 7.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0
    assert percentile([], 90) is None
    with pytest.raises(ValueError):
        percentile([1.0], 0)


def test_local_hours_in_each_indonesian_zone() -> None:
    moment = datetime(2026, 3, 2, 1, 30, tzinfo=UTC).timestamp()
    assert LocalHours("Asia/Jakarta").hour(moment) == 8
    assert LocalHours("Asia/Makassar").hour(moment) == 9
    assert LocalHours("Asia/Jayapura").hour(moment) == 10
    wib = LocalHours("Asia/Jakarta")
    assert [wib.hour(datetime(2026, 3, 2, h, 59, tzinfo=UTC).timestamp()) for h in (16, 17)] == [
        23,
        0,
    ]


def test_counter_holders_follow_the_journal_order() -> None:
    holders = CounterHolders([(1, 10, 5), (1, 50, None), (2, 20, 6), (1, 60, 7)])
    assert holders.holder(1, 5) is None  # before anyone opened it
    assert holders.holder(1, 10) is None  # the opening event itself comes after seq 9
    assert holders.holder(1, 11) == 5
    assert holders.holder(1, 55) is None  # closed at 50
    assert holders.holder(1, 61) == 7
    assert holders.holder(2, 100) == 6
    assert holders.holder(3, 100) is None


def test_visit_times() -> None:
    served = Visit(1, False, at(0), at(10), at(12), at(13), at(20), Outcome.SERVED, 1, 7)
    assert (served.wait_seconds, served.service_seconds) == (600.0, 420.0)
    unstarted = Visit(1, False, at(0), at(5), at(5), None, at(8), Outcome.SERVED, 1, 7)
    assert unstarted.service_seconds == 180.0  # from the last call
    no_show = Visit(1, False, at(0), at(5), at(6), None, at(9), Outcome.NO_SHOW, 1, 7)
    assert (no_show.wait_seconds, no_show.service_seconds) == (300.0, None)
    waiting = Visit(1, False, at(0))
    assert (waiting.wait_seconds, waiting.service_seconds) == (None, None)


def test_summary_of_a_small_day() -> None:
    """Two services (A target 10 min, B target 5 min), counters 1 and 2, officers 7 and 8."""
    a, b = 11, 12
    visits = [
        # A: waits 5, 15, 10 min; served 6 and 4 min; one no-show.
        Visit(a, False, at(0), at(5), at(5), at(6), at(12), Outcome.SERVED, 1, 7),
        Visit(a, False, at(10), at(25), at(25), at(26), at(30), Outcome.SERVED, 1, 7),
        Visit(a, False, at(70), at(80), at(82), None, at(83), Outcome.NO_SHOW, 2, 8),
        # A: cancelled while waiting, never called.
        Visit(a, False, at(75), None, None, None, at(90), Outcome.CANCELLED, None, None),
        # B: issued 09:15, waited 2 min, transferred away from counter 2 after 1 minute ...
        Visit(b, False, at(75), at(77), at(77), None, at(78), Outcome.TRANSFERRED, 2, 8),
        # ... and continued in A: waited 8 min from the transfer, served 10 min at counter 1.
        Visit(a, True, at(78), at(86), at(86), at(86), at(96), Outcome.SERVED, 1, 7),
        # B: still waiting at the end of the period.
        Visit(b, False, at(130), None),
    ]
    report = summarise(visits, {a: 600.0, b: 300.0}, "Asia/Jakarta")

    total = report.total
    assert (total.issued, total.transferred_in) == (6, 1)
    assert (total.served, total.no_show, total.cancelled, total.transferred, total.expired) == (
        3,
        1,
        1,
        1,
        0,
    )
    # Waits (min): 5, 15, 10, 2, 8 → mean 8 min; sorted 2 5 8 10 15, p90 = 5th = 15 min.
    assert total.called == 5
    assert total.mean_wait_seconds == pytest.approx(8 * MIN)
    assert total.p90_wait_seconds == 15 * MIN
    # Within target: A 5 ≤ 10 yes, 15 no, 10 yes, 8 yes; B 2 ≤ 5 yes → 4 of 5.
    assert (total.within_target, total.within_target_share) == (4, 0.8)
    # Service (min): 6, 4, 10 → mean 20/3 min = 400 s.
    assert total.mean_service_seconds == pytest.approx(400.0)

    fig_a = report.services[a]
    assert (fig_a.issued, fig_a.transferred_in, fig_a.served, fig_a.no_show, fig_a.cancelled) == (
        4,
        1,
        3,
        1,
        1,
    )
    assert fig_a.called == 4
    assert fig_a.mean_wait_seconds == pytest.approx((5 + 15 + 10 + 8) / 4 * MIN)
    assert fig_a.p90_wait_seconds == 15 * MIN  # sorted 5 8 10 15: ceil(3.6) = 4th
    assert fig_a.within_target_share == 0.75
    fig_b = report.services[b]
    assert (fig_b.issued, fig_b.transferred, fig_b.called, fig_b.served) == (2, 1, 1, 0)
    assert (fig_b.mean_wait_seconds, fig_b.within_target_share) == (120.0, 1.0)
    assert fig_b.mean_service_seconds is None

    # Counter 1 closed the three served visits; counter 2 the no-show and the transfer.
    one, two = report.counters[1], report.counters[2]
    assert (one.served, one.no_show, one.transferred) == (3, 0, 0)
    assert one.mean_wait_seconds == pytest.approx((5 + 15 + 8) / 3 * MIN)
    assert one.mean_service_seconds == pytest.approx(400.0)
    assert (two.served, two.no_show, two.transferred, two.called) == (0, 1, 1, 2)
    assert two.mean_wait_seconds == pytest.approx((10 + 2) / 2 * MIN)
    assert set(report.counters) == {1, 2}
    assert report.officers[7].served == 3 and report.officers[8].no_show == 1
    assert set(report.officers) == {7, 8}

    # Arrivals by WIB hour (transfers are not arrivals): 08:00, 08:10 → 8; 09:10, 09:15,
    # 09:15 → 9; 10:10 → 10.
    expected = [0] * 24
    expected[8], expected[9], expected[10] = 2, 3, 1
    assert list(report.arrivals_by_hour) == expected
    assert report.service_arrivals_by_hour[a][8:10] == (2, 2)
    assert report.service_arrivals_by_hour[b][9:11] == (1, 1)


def test_summary_of_nothing() -> None:
    report = summarise([], {}, "Asia/Jakarta")
    assert report.total.issued == 0
    assert report.total.mean_wait_seconds is None
    assert report.total.p90_wait_seconds is None
    assert report.total.within_target_share is None
    assert report.services == {} and report.counters == {} and report.officers == {}
    assert report.arrivals_by_hour == (0,) * 24


def test_records_count_for_the_officer_holding_the_counter() -> None:
    """The store's records: milliseconds, the closer's seq and user; holders from the journal."""
    a = 11
    holders = CounterHolders([(1, 10, 7), (1, 50, 8)])  # officer 7 until seq 50, then 8
    ms = 60_000
    start = round(T0 * 1000)
    records = [
        # Served at counter 1 by the supervisor (user 99) while officer 7 held it: for 7.
        (a, False, start, 5 * ms, 4 * ms, "served", 1, 20, 99, False),
        # Served at counter 1 after the hand-over (seq 60): for officer 8.
        (a, False, start + 10 * ms, 2 * ms, 6 * ms, "served", 1, 60, 8, False),
        # Expired by housekeeping (no user) at a counter nobody held: for no officer.
        (a, False, start + 20 * ms, 1 * ms, None, "expired", 2, 70, None, False),
        # A clock set back: the wait counts as 0, the service time too.
        (a, True, start + 30 * ms, -3000, -500, "served", 1, 80, 8, False),
    ]
    report = summarise_records(records, {a: 600.0}, "Asia/Makassar", holders.holder)
    assert report.officers[7].served == 1 and report.officers[7].mean_wait_seconds == 300.0
    assert (report.officers[8].served, report.officers[8].called) == (2, 2)
    assert report.officers[8].mean_wait_seconds == 60.0  # (120 + 0) / 2
    assert report.officers[8].mean_service_seconds == 180.0  # (360 + 0) / 2
    assert set(report.officers) == {7, 8}
    assert (report.counters[2].expired, report.counters[2].called) == (1, 1)
    # Waits 0, 1, 2, 5 min: p90 = 4th of 4 = 5 min, all within the 10-minute target.
    assert (report.total.p90_wait_seconds, report.total.within_target) == (300.0, 4)
    # 01:00, 01:10 and 01:20 UTC are 09:00–09:20 WITA; the transfer is no arrival.
    assert report.arrivals_by_hour[9] == 3 and sum(report.arrivals_by_hour) == 3


def test_a_no_show_called_back_counts_as_no_show_and_as_served() -> None:
    # Minutes after 08:00 WIB. A-001 called at 5, skipped, called back at 20, started at
    # 21, served at 25; A-002 called at 10 and skipped; A-003 called at 12 and served at 15.
    a = 1
    visits = [
        Visit(a, False, at(0), at(5), at(20), at(21), at(25), Outcome.SERVED, 1, 7, True),
        Visit(a, False, at(1), at(10), at(10), None, at(11), Outcome.NO_SHOW, 1, 7),
        Visit(a, False, at(2), at(12), at(12), None, at(15), Outcome.SERVED, 1, 7),
    ]
    report = summarise(visits, {a: 600.0}, "Asia/Jakarta")
    for figures in (report.total, report.services[a], report.counters[1], report.officers[7]):
        assert (figures.served, figures.no_show, figures.called) == (2, 2, 3)
        # Service from the start (4 min) or, never started, the call (3 min): 210 s.
        assert figures.mean_service_seconds == 210.0
        # Waits 5, 9, 10 min (first call − arrival): the call back is no new wait.
        assert figures.mean_wait_seconds == 480.0
    assert report.total.issued == 3


def test_service_time_is_from_the_start_or_else_the_last_call() -> None:
    assert service_seconds(at(2), at(1), at(5)) == 180.0
    assert service_seconds(None, at(1), at(5)) == 240.0
    assert service_seconds(None, None, at(5)) is None
    assert service_seconds(at(2), at(1), None) is None
    assert service_seconds(at(6), at(1), at(5)) == 0.0  # a clock set back: never negative
