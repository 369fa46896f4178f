"""A no-show can come back: the skip undone within seconds at its counter, or the number
called back within the service's ``no_show_recall_minutes``; later, a clear refusal. And the
report and the counter's footer agree on it, worked out by hand (SQLite and PostgreSQL).

Demo office (WIB), Loket 1 (petugas1) serves A. Monday 2026-03-02:

=====  =====================================================================================
08:00  A-001 … A-004 issued
08:10  A-001 called; 08:12:00 skipped; 08:12:05 the skip undone; 08:13 started; 08:16 done
08:20  A-002 called; 08:22:00 skipped; 08:22:11 undo refused (11 s > 10 s)
08:25  A-003 called; 08:26 started; 08:30 done
08:40  A-002 called back by number (18 min after its skip); 08:41 started; 08:46 done
08:50  A-004 called; 08:52 skipped; 09:23 call back refused (31 min > 30)
=====  =====================================================================================

Waits (first call − issue): 10, 20, 25, 50 min → mean 26.25 min = 1575 s.
Service (start → finish): A-001 3, A-003 4, A-002 5 min → mean 240 s (from the calls it
would be 6, 5, 6 → 340 s: the footer used to say that).
Served 3; no-show 2 (A-002, called back and served, counts as both; A-004); A-001's undone
skip is no no-show.
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
from tests.support.queue_ops import act, call_next, expect_error, issue, ok, set_state

MONDAY = "2026-03-02"


def wib(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def office(office_db: OfficeTemplate) -> Iterator[tuple[Any, FrozenClock, Api, OfficeTemplate]]:
    clock = FrozenClock(wib(7, 55))
    with serve_in_process(office_db.url, clock=clock) as (server, anon):
        yield server, clock, anon, office_db


def call_number(api: Api, counter_id: int, number: str) -> Any:
    return api.post(f"/api/v1/counters/{counter_id}/call", {"number": number})


def play_the_morning(
    clock: FrozenClock, kiosk: Api, p1: Api, sup: Api, service_a: int, loket1: int
) -> list[dict[str, Any]]:
    """The table of the module's docstring, checking each answer on the way."""
    set_state(p1, loket1, "open")
    clock.now = wib(8, 0)
    a1, a2, a3, a4 = (issue(kiosk, service_a) for _ in range(4))

    clock.now = wib(8, 10)
    assert call_next(p1, loket1)["id"] == a1["id"]  # type: ignore[index]
    clock.now = wib(8, 12)
    assert act(p1, a1["id"], "skip")["state"] == "no_show"
    clock.now = wib(8, 12, 5)
    undone = act(p1, a1["id"], "undo-skip")
    assert (undone["state"], undone["counter_id"], undone["closed_at"]) == ("called", loket1, None)
    # Undone once: it is called now, so a second undo is an invalid move.
    expect_error(p1.post(f"/api/v1/tickets/{a1['id']}/undo-skip"), 409, "invalid_transition")
    clock.now = wib(8, 13)
    act(p1, a1["id"], "start")
    clock.now = wib(8, 16)
    act(p1, a1["id"], "finish")

    clock.now = wib(8, 20)
    assert call_next(p1, loket1)["id"] == a2["id"]  # type: ignore[index]
    clock.now = wib(8, 22)
    act(p1, a2["id"], "skip")
    clock.now = wib(8, 22, 11)
    error = expect_error(p1.post(f"/api/v1/tickets/{a2['id']}/undo-skip"), 409, "undo_skip_expired")
    assert error["details"]["undo_seconds"] == 10
    clock.now = wib(8, 25)
    assert call_next(p1, loket1)["id"] == a3["id"]  # type: ignore[index]
    clock.now = wib(8, 26)
    act(p1, a3["id"], "start")
    clock.now = wib(8, 30)
    act(p1, a3["id"], "finish")

    clock.now = wib(8, 40)
    back = ok(call_number(p1, loket1, "A-002"))
    assert (back["state"], back["counter_id"], back["closed_at"]) == ("called", loket1, None)
    assert back["call_count"] == 2
    clock.now = wib(8, 41)
    act(p1, a2["id"], "start")
    clock.now = wib(8, 46)
    act(p1, a2["id"], "finish")

    clock.now = wib(8, 50)
    assert call_next(p1, loket1)["id"] == a4["id"]  # type: ignore[index]
    clock.now = wib(8, 52)
    act(p1, a4["id"], "skip")
    clock.now = wib(9, 23)
    error = expect_error(call_number(p1, loket1, "A-004"), 409, "no_show_recall_expired")
    assert error["details"]["recall_minutes"] == 30
    # The supervisor is refused the same way, and the ticket stays a no-show.
    expect_error(call_number(sup, loket1, "A-004"), 409, "no_show_recall_expired")
    assert ok(sup.get(f"/api/v1/tickets/{a4['id']}"))["state"] == "no_show"

    return [a1, a2, a3, a4]


def test_no_show_recall_undo_and_the_figures_that_follow(
    office: tuple[Any, FrozenClock, Api, OfficeTemplate],
) -> None:
    server, clock, anon, template = office
    branch, loket1 = template.office.branch_id, template.office.counters[1]
    kiosk, p1 = anon.as_token(template.office.kiosk_token), anon.login("petugas1")
    sup = anon.login("supervisor")
    a1, a2, _a3, _a4 = play_the_morning(
        clock, kiosk, p1, sup, template.office.services["A"], loket1
    )

    # The journal tells the story explicitly: the undo is its own event, the call back a
    # call whose reason says so (the hall hears it).
    svc: Services = server.app.state.services
    with svc.db.read() as session:
        rows = session.execute(
            select(Event.ticket_id, Event.kind, Event.payload)
            .where(Event.ticket_id.in_([a1["id"], a2["id"]]))
            .order_by(Event.seq)
        ).all()
    kinds = {tid: [kind for t, kind, _ in rows if t == tid] for tid in (a1["id"], a2["id"])}
    assert kinds[a1["id"]] == [
        "ticket.issued",
        "ticket.called",
        "ticket.skipped",
        "ticket.skip_undone",
        "ticket.started",
        "ticket.finished",
    ]
    assert kinds[a2["id"]] == [
        "ticket.issued",
        "ticket.called",
        "ticket.skipped",
        "ticket.called",
        "ticket.started",
        "ticket.finished",
    ]

    report = ok(sup.get(f"/api/v1/branches/{branch}/reports/summary?from={MONDAY}&to={MONDAY}"))
    total = report["total"]
    assert (total["issued"], total["served"], total["no_show"], total["called"]) == (4, 3, 2, 4)
    assert (total["mean_wait_seconds"], total["mean_service_seconds"]) == (1575.0, 240.0)
    (loket1_report,) = (c for c in report["counters"] if c["counter_id"] == loket1)
    assert (loket1_report["served"], loket1_report["no_show"]) == (3, 2)
    assert loket1_report["mean_service_seconds"] == 240.0

    # The counter's footer says the same average for the same tickets.
    footer = ok(p1.get(f"/api/v1/counters/{loket1}/today"))
    assert (footer["served"], footer["average_service_seconds"]) == (3, 240)


def test_a_service_can_refuse_call_backs_and_undo_needs_a_free_counter(
    office: tuple[Any, FrozenClock, Api, OfficeTemplate],
) -> None:
    _server, clock, anon, template = office
    services, counters = template.office.services, template.office.counters
    kiosk, p1 = anon.as_token(template.office.kiosk_token), anon.login("petugas1")
    admin = anon.login("admin")
    loket1 = counters[1]
    set_state(p1, loket1, "open")
    clock.now = wib(8, 0)
    a1, a2 = issue(kiosk, services["A"]), issue(kiosk, services["A"])
    assert call_next(p1, loket1)["id"] == a1["id"]  # type: ignore[index]
    act(p1, a1["id"], "skip")
    assert call_next(p1, loket1)["id"] == a2["id"]  # type: ignore[index]
    clock.now = wib(8, 0, 3)
    # Loket 1 holds A-002 now: taking A-001's skip back would give it two tickets.
    expect_error(p1.post(f"/api/v1/tickets/{a1['id']}/undo-skip"), 409, "counter_busy")
    assert ok(p1.get(f"/api/v1/tickets/{a1['id']}"))["state"] == "no_show"

    # An office that wants no call backs for a service sets its window to 0 minutes.
    services_out = ok(admin.get(f"/api/v1/branches/{template.office.branch_id}/services"))
    assert {s["no_show_recall_minutes"] for s in services_out} == {30}  # the default
    strict = ok(
        admin.post(
            "/api/v1/services",
            {
                "branch_id": template.office.branch_id,
                "prefix": "Z",
                "name": "Legalisir",
                "no_show_recall_minutes": 0,
            },
        ),
        201,
    )
    assert strict["no_show_recall_minutes"] == 0
    z1 = issue(kiosk, strict["id"])
    act(p1, a2["id"], "finish")
    assert ok(call_number(p1, loket1, z1["number"]))["id"] == z1["id"]
    act(p1, z1["id"], "skip")
    clock.now = wib(8, 0, 4)
    expect_error(call_number(p1, loket1, z1["number"]), 409, "no_show_recall_expired")
    # Bad input changes nothing: a negative window is refused.
    expect_error(
        admin.post(
            "/api/v1/services",
            {
                "branch_id": template.office.branch_id,
                "prefix": "Y",
                "name": "Y",
                "no_show_recall_minutes": -1,
            },
        ),
        422,
        "invalid_input",
    )
