"""The hub's report of a branch, computed from nothing but the branch's journal events, its
set-up and its survey sums (what the branch sends its hub), equals the branch's own report
for the same day, figure for figure (docs/HUB.md, "Regional view and reports").

Two scripted days from the report tests, on SQLite and PostgreSQL: the day of
tests/integration/test_reports.py (transfers, a return to the queue, a supervisor's skip,
a cancellation, an expiry by housekeeping, surveys) and the no-show morning of
tests/integration/test_api_no_show_recall.py (an undone skip, a no-show called back).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from counter_app.core.ikm import ELEMENT_COUNT
from counter_app.core.journal_visits import JournalVisits
from counter_app.hub.reports import branch_summary
from counter_app.schemas.hub import BranchProfile
from counter_app.server.context import Services
from counter_app.server.sweeper import sweep_once
from counter_app.store import journal
from counter_app.store.hub_feed import branch_profile, survey_day_sums
from counter_app.store.reports import report_summary
from tests.conftest import OfficeTemplate
from tests.integration.test_api_no_show_recall import play_the_morning
from tests.integration.test_reports import (
    script_monday_morning,
    script_rest_of_monday,
    survey,
    wib,
)
from tests.support.http import Api, serve_in_process
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import act, call_next, issue, ok, set_state

MONDAY = date(2026, 3, 2)


def hub_and_branch(svc: Services, branch_id: int, first: date, last: date) -> tuple[Any, Any]:
    """(the hub's report from the journal, the branch's report) as JSON-able dicts."""
    now = svc.clock()
    with svc.db.read() as session:
        events = list(journal.events_between(session, branch_id, 0, None, 1_000_000))
        profile = BranchProfile.model_validate(branch_profile(session, branch_id), strict=False)
        day_sums = survey_day_sums(session, branch_id, None)
        own = report_summary(session, branch_id, first, last, now)
    sums: dict[int, tuple[int, list[int]]] = {}
    for row in day_sums:
        if first.isoformat() <= row["service_day"] <= last.isoformat():
            count, running = sums.get(row["service_id"], (0, [0] * ELEMENT_COUNT))
            sums[row["service_id"]] = (
                count + row["responses"],
                [a + b for a, b in zip(running, row["sums"], strict=True)],
            )
    visits = JournalVisits(first, last).extend(events)
    hub, _report, _records = branch_summary(
        visits, profile, sums, first, last, now, branch_id=branch_id, name=profile.name
    )
    return hub.model_dump(mode="json"), own.model_dump(mode="json")


def test_the_scripted_day_reads_the_same_from_the_journal(office_db: OfficeTemplate) -> None:
    db_url, office = office_db.url, office_db.office
    clock = FrozenClock(wib(7, 50))
    services, counters, branch = office.services, office.counters, office.branch_id
    with run_server(db_url, clock=clock) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        sup = anon.login("supervisor")
        p1, p2, p3 = anon.login("petugas1"), anon.login("petugas2"), anon.login("petugas3")
        t = script_monday_morning(clock, kiosk, sup, p1, p3, services, counters)
        script_rest_of_monday(clock, kiosk, sup, (p1, p2, p3), services, counters, t)
        clock.now = wib(11, 0)
        for number, answers in (
            ("A-001", [4, 4, 4, 4, 4, 4, 4, 4, 4]),
            ("B-001", [3, 3, 3, 3, 3, 3, 3, 3, 3]),
            ("A-003", [4, 3, 4, 4, 3, 4, 4, 2, 4]),
            ("B-002", [2, 2, 2, 2, 2, 2, 2, 2, 2]),
        ):
            code = t[number]["code"]
            ok(anon.post(f"/api/v1/public/tickets/{code}/survey", survey(answers)), 201)
        svc: Services = server.app.state.services
        # Still Monday: A-003's wait and D-001 still waiting count as the branch has them.
        hub, own = hub_and_branch(svc, branch, MONDAY, MONDAY)
        assert hub == own
        # Tuesday just after midnight: housekeeping expires D-001 (a Monday ticket).
        clock.now = wib(0, 0, day=3) + timedelta(seconds=1)
        assert sweep_once(svc) == 1
        hub, own = hub_and_branch(svc, branch, MONDAY, MONDAY)
        week, own_week = hub_and_branch(svc, branch, MONDAY, MONDAY + timedelta(days=6))

    assert hub == own
    assert week == own_week
    # And the hand count of test_reports.py, read from the hub's side: issued 7, transferred
    # in 1, served 4, no-show 1, cancelled 1, transferred 1, expired 1, called 6; waits mean
    # 1570 s, p90 3120 s, 5 of 6 within target; service mean 705 s; IKM 78.47 (B).
    total = hub["total"]
    assert [total[k] for k in ("issued", "served", "no_show", "expired", "called")] == [
        7,
        4,
        1,
        1,
        6,
    ]
    assert (total["mean_wait_seconds"], total["within_target_share"]) == (1570.0, 0.8333)
    assert total["mean_service_seconds"] == 705.0
    assert (hub["survey"]["responses"], hub["survey"]["index"]) == (4, 78.47)
    assert [o["name"] for o in hub["officers"]] == ["Agus Wijaya", "Budi Santoso", "Dewi Lestari"]


def test_undone_skips_and_no_shows_called_back_read_the_same(office_db: OfficeTemplate) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 0, 55))
    clock.now = wib(7, 55)
    office = office_db.office
    with serve_in_process(office_db.url, clock=clock) as (server, anon):
        kiosk, p1 = anon.as_token(office.kiosk_token), anon.login("petugas1")
        sup = anon.login("supervisor")
        play_the_morning(clock, kiosk, p1, sup, office.services["A"], office.counters[1])
        svc: Services = server.app.state.services
        hub, own = hub_and_branch(svc, office.branch_id, MONDAY, MONDAY)
    assert hub == own
    # docs/REPORTS.md's worked example: served 3, no-show 2, waits mean 1575 s, service 240 s.
    total = hub["total"]
    assert (total["served"], total["no_show"], total["called"]) == (3, 2, 4)
    assert (total["mean_wait_seconds"], total["mean_service_seconds"]) == (1575.0, 240.0)


def test_survey_sums_go_out_for_the_days_answered_since(office_db: OfficeTemplate) -> None:
    """The feed sends a day's sums again only when that day received an answer since the
    last feed (store.hub_feed.survey_day_sums)."""
    db_url, office = office_db.url, office_db.office
    clock = FrozenClock(wib(7, 50))
    with run_server(db_url, clock=clock) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        p1 = anon.login("petugas1")
        counter = office.counters[1]
        set_state(p1, counter, "open")
        clock.now = wib(8, 0)
        ticket = issue(kiosk, office.services["A"])
        call_next(p1, counter)
        clock.now = wib(8, 5)
        act(p1, ticket["id"], "finish")
        clock.now = wib(9, 0)
        ok(anon.post(f"/api/v1/public/tickets/{ticket['code']}/survey", survey([4] * 9)), 201)
        svc: Services = server.app.state.services
        with svc.db.read() as session:
            everything = survey_day_sums(session, office.branch_id, None)
            since_before = survey_day_sums(session, office.branch_id, wib(8, 30))
            since_after = survey_day_sums(session, office.branch_id, wib(9, 30))
    assert (
        everything
        == since_before
        == [
            {
                "service_day": "2026-03-02",
                "service_id": office.services["A"],
                "responses": 1,
                "sums": [4] * 9,
            }
        ]
    )
    assert since_after == []
