"""Training mode end to end (SQLite and PostgreSQL): a trainee's session leaves no trace in
the real day, and staffing advice reads the real history only.

Demo office (WIB), Loket 1 (petugas1) serves A. The same real morning is played on Monday
2026-03-02 and Tuesday 2026-03-03; on Tuesday a training session comes first:

=====  =====================================================================================
07:55  Loket 1 opens
08:00  (Tue) training on, branch-wide; two A tickets issued (training), the first called,
       started, finished and its survey answered, the second called
08:20  (Tue) training off: the second training ticket is expired, journaled
08:30  three real A tickets: A-001, A-002, A-003 (the real numbering, untouched)
08:35  each called, started (+1 min), finished (+4 min) in turn; A-001's survey answered
09:30  Loket 1 closes
=====  =====================================================================================

Tuesday's report and IKM must equal Monday's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.server.context import Services
from counter_app.store.models import Event
from tests.conftest import OfficeTemplate
from tests.support.http import Api, serve_in_process
from tests.support.live_server import FrozenClock
from tests.support.queue_ops import act, call_next, expect_error, issue, ok, set_state, snapshot

GOOD = {f"u{i}": 4 for i in range(1, 10)}
POOR = {f"u{i}": 1 for i in range(1, 10)}


def wib(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def office(office_db: OfficeTemplate) -> Iterator[tuple[Any, FrozenClock, Api, OfficeTemplate]]:
    clock = FrozenClock(wib(2, 7, 50))
    with serve_in_process(office_db.url, clock=clock) as (server, anon):
        yield server, clock, anon, office_db


def training_path(branch: int) -> str:
    return f"/api/v1/branches/{branch}/training"


def survey(anon: Api, code: str, answers: dict[str, int]) -> None:
    ok(anon.post(f"/api/v1/public/tickets/{code}/survey", answers), 201)


def play_training(
    clock: FrozenClock, day: int, anon: Api, kiosk: Api, p1: Api, sup: Api, t: OfficeTemplate
) -> list[dict[str, Any]]:
    branch, loket1, service_a = t.office.branch_id, t.office.counters[1], t.office.services["A"]
    clock.now = wib(day, 8, 0)
    # Only a supervisor or an admin switches training.
    expect_error(p1.post(training_path(branch), {"on": True}), 403, "forbidden")
    state = ok(sup.post(training_path(branch), {"on": True}))
    assert state["training"] is True
    snap = snapshot(sup, branch)
    assert snap["branch"]["training"] is True
    first, second = issue(kiosk, service_a), issue(kiosk, service_a)
    assert (first["training"], second["training"]) == (True, True)
    assert (first["number"], second["number"]) == ("A-001", "A-002")
    clock.now = wib(day, 8, 2)
    assert call_next(p1, loket1)["id"] == first["id"]  # type: ignore[index]
    act(p1, first["id"], "start")
    clock.now = wib(day, 8, 10)
    act(p1, first["id"], "finish")
    # A citizen role-played by a trainer may answer the survey: it is not counted.
    survey(anon, first["code"], POOR)
    assert call_next(p1, loket1)["id"] == second["id"]  # type: ignore[index]
    clock.now = wib(day, 8, 20)
    state = ok(sup.post(training_path(branch), {"on": False}))
    assert (state["training"], state["expired"]) == (False, 1)
    assert ok(sup.get(f"/api/v1/tickets/{second['id']}"))["state"] == "expired"
    assert snapshot(sup, branch)["branch"]["training"] is False
    return [first, second]


def play_real(
    clock: FrozenClock, day: int, anon: Api, kiosk: Api, p1: Api, t: OfficeTemplate
) -> list[dict[str, Any]]:
    loket1, service_a = t.office.counters[1], t.office.services["A"]
    clock.now = wib(day, 8, 30)
    tickets = [issue(kiosk, service_a) for _ in range(3)]
    assert [x["number"] for x in tickets] == ["A-001", "A-002", "A-003"]
    assert not any(x["training"] for x in tickets)
    for index, ticket in enumerate(tickets):
        clock.now = wib(day, 8, 35 + 5 * index)
        assert call_next(p1, loket1)["id"] == ticket["id"]  # type: ignore[index]
        clock.now = wib(day, 8, 36 + 5 * index)
        act(p1, ticket["id"], "start")
        clock.now = wib(day, 8, 40 + 5 * index)
        act(p1, ticket["id"], "finish")
    survey(anon, tickets[0]["code"], GOOD)
    return tickets


def report_of(sup: Api, branch: int, day: str) -> dict[str, Any]:
    report = ok(sup.get(f"/api/v1/branches/{branch}/reports/summary?from={day}&to={day}"))
    return {key: value for key, value in report.items() if key not in ("first_day", "last_day")}


def test_a_training_session_leaves_no_trace_in_the_real_day(
    office: tuple[Any, FrozenClock, Api, OfficeTemplate],
) -> None:
    server, clock, anon, t = office
    branch, loket1 = t.office.branch_id, t.office.counters[1]
    kiosk = anon.as_token(t.office.kiosk_token)
    for day, training in ((2, False), (3, True)):
        clock.now = wib(day, 7, 55)
        # Staff log in each morning (a session ends overnight).
        p1, sup = anon.login("petugas1"), anon.login("supervisor")
        set_state(p1, loket1, "open")
        trained = play_training(clock, day, anon, kiosk, p1, sup, t) if training else []
        play_real(clock, day, anon, kiosk, p1, t)
        clock.now = wib(day, 9, 30)
        set_state(p1, loket1, "closed")

    monday, tuesday = report_of(sup, branch, "2026-03-02"), report_of(sup, branch, "2026-03-03")
    assert monday["total"]["issued"] == 3
    assert monday["survey"]["responses"] == 1
    assert tuesday == monday

    # The journal marks the training tickets' events, and the expiry is journaled.
    svc: Services = server.app.state.services
    with svc.db.read() as session:
        rows = session.execute(
            select(Event.ticket_id, Event.kind, Event.payload)
            .where(Event.ticket_id.in_([x["id"] for x in trained]))
            .order_by(Event.seq)
        ).all()
    assert all(payload["ticket"]["training"] is True for _, _, payload in rows)
    assert [kind for tid, kind, _ in rows if tid == trained[1]["id"]] == [
        "ticket.issued",
        "ticket.called",
        "ticket.expired",
    ]

    # Staffing advice for Mondays reads the real arrivals only (Tuesday's training is apart).
    clock.now = wib(4, 7, 0)
    p1, sup = anon.login("petugas1"), anon.login("supervisor")
    advice = ok(sup.get(f"/api/v1/branches/{branch}/staffing?weekday=1&weeks=1"))
    (a,) = (s for s in advice["services"] if s["prefix"] == "A")
    (eight,) = (h for h in a["hours"] if h["hour"] == 8)
    assert eight["arrivals_per_hour"] == 3.0
    # The counter is taken from the call to the finish: 5 minutes each.
    assert eight["mean_service_seconds"] == 300.0
    assert eight["current_counters"] == 1.0
    assert eight["recommended_counters"] == 1
    assert eight["expected_wait_current_seconds"] == eight["expected_wait_recommended_seconds"]
    expect_error(p1.get(f"/api/v1/branches/{branch}/staffing"), 403, "forbidden")


def test_a_training_counter_calls_training_tickets_only(
    office: tuple[Any, FrozenClock, Api, OfficeTemplate],
) -> None:
    _server, clock, anon, t = office
    branch, loket1, service_a = t.office.branch_id, t.office.counters[1], t.office.services["A"]
    kiosk, p1 = anon.as_token(t.office.kiosk_token), anon.login("petugas1")
    sup = anon.login("supervisor")
    clock.now = wib(2, 8, 0)
    set_state(p1, loket1, "open")
    real = issue(kiosk, service_a)
    # A counter holding a real citizen cannot start training.
    assert call_next(p1, loket1)["id"] == real["id"]  # type: ignore[index]
    expect_error(
        sup.post(training_path(branch), {"on": True, "counter_id": loket1}),
        409,
        "training_real_ticket_open",
    )
    act(p1, real["id"], "finish")
    waiting = issue(kiosk, service_a)
    state = ok(sup.post(training_path(branch), {"on": True, "counter_id": loket1}))
    assert state["training"] is False
    assert {c["counter_id"]: c["training"] for c in state["counters"]}[loket1] is True
    (counter,) = (c for c in snapshot(sup, branch)["counters"] if c["id"] == loket1)
    assert counter["training"] is True
    # The real citizen waiting is not called by the trainee, nor by number.
    assert call_next(p1, loket1) is None
    expect_error(
        p1.post(f"/api/v1/counters/{loket1}/call", {"ticket_id": waiting["id"]}),
        409,
        "training_mode_mismatch",
    )
    # A ticket the trainee issues is a training one, numbered apart.
    own = issue(p1, service_a, source="counter")
    assert (own["training"], own["number"]) == (True, "A-001")
    assert call_next(p1, loket1)["id"] == own["id"]  # type: ignore[index]
    state = ok(sup.post(training_path(branch), {"on": False, "counter_id": loket1}))
    assert state["expired"] == 1
    assert call_next(p1, loket1)["id"] == waiting["id"]  # type: ignore[index]
    # The real numbering went on as if nothing happened.
    assert issue(kiosk, service_a)["number"] == "A-003"
    # Bad input changes nothing.
    expect_error(
        sup.post(training_path(branch), {"on": True, "counter_id": 999999}),
        404,
        "counter_not_found",
    )
