"""The service day ends at midnight in the branch's zone (WIB for the demo office): numbers
restart, yesterday's queue is no longer callable, and housekeeping expires it."""

from __future__ import annotations

from datetime import UTC, datetime

from counter_app.server.context import Services
from counter_app.server.sweeper import sweep_once
from tests.conftest import OfficeTemplate
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import (
    call_next,
    expect_error,
    get_ticket,
    issue,
    journal_seq,
    ok,
    set_state,
    waiting_numbers,
)
from tests.support.sse import EventStream


def test_numbers_restart_at_midnight_wib_and_yesterday_expires(office_db: OfficeTemplate) -> None:
    db_url, office = office_db.url, office_db.office
    clock = FrozenClock(datetime(2026, 3, 2, 16, 58, tzinfo=UTC))  # Monday 23:58 WIB
    with run_server(db_url, clock=clock) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        supervisor = anon.login("supervisor")
        petugas1 = anon.login("petugas1")
        services, counters, branch = office.services, office.counters, office.branch_id

        old_a1 = issue(kiosk, services["A"])
        old_a2 = issue(kiosk, services["A"])
        old_b1 = issue(kiosk, services["B"])
        assert [t["number"] for t in (old_a1, old_a2, old_b1)] == ["A-001", "A-002", "B-001"]
        assert {t["service_day"] for t in (old_a1, old_a2, old_b1)} == {"2026-03-02"}
        set_state(supervisor, counters[3], "open")
        called = call_next(supervisor, counters[3])
        assert called is not None and called["id"] == old_b1["id"]

        clock.now = datetime(2026, 3, 2, 17, 0, 1, tzinfo=UTC)  # Tuesday 00:00:01 WIB
        new_a1 = issue(kiosk, services["A"])
        assert (new_a1["number"], new_a1["service_day"], new_a1["ahead"]) == (
            "A-001",
            "2026-03-03",
            0,
        )
        assert new_a1["id"] != old_a1["id"]
        assert waiting_numbers(supervisor, branch) == {"A": ["A-001"], "B": [], "C": [], "D": []}

        # Only today's queue is callable: by call order, by number, or by id.
        set_state(petugas1, counters[1], "open")
        first = call_next(petugas1, counters[1])
        assert first is not None and first["id"] == new_a1["id"]
        assert call_next(petugas1, counters[1], finish_current=True) is None
        expect_error(
            petugas1.post(f"/api/v1/counters/{counters[1]}/call", {"number": "A-002"}),
            409,
            "ticket_number_unknown",
        )
        expect_error(
            petugas1.post(f"/api/v1/counters/{counters[1]}/call", {"ticket_id": old_a2["id"]}),
            409,
            "ticket_from_past_day",
        )
        assert get_ticket(supervisor, old_a2["id"])["state"] == "waiting"
        assert get_ticket(supervisor, old_b1["id"])["state"] == "called"

        # Housekeeping closes everything still open from Monday, one journal event each.
        seq = journal_seq(supervisor, branch)
        svc: Services = server.app.state.services
        assert sweep_once(svc) == 3
        assert sweep_once(svc) == 0
        assert journal_seq(supervisor, branch) == seq + 3
        for old in (old_a1, old_a2, old_b1):
            expired = get_ticket(supervisor, old["id"])
            assert (expired["state"], expired["closed_at"]) == ("expired", "2026-03-02T17:00:01Z")
        assert get_ticket(supervisor, new_a1["id"])["state"] == "done"
        status = ok(anon.get(f"/api/v1/public/tickets/{old_a2['code']}"))
        assert (status["state"], status["ahead"], status["wait_seconds"]) == ("expired", None, None)
        with EventStream(server.url, branch, supervisor.token, last_event_id=seq) as stream:
            events = stream.events_until_heartbeat()
        assert [(e.id, e.event) for e in events] == [
            (seq + 1, "ticket.expired"),
            (seq + 2, "ticket.expired"),
            (seq + 3, "ticket.expired"),
        ]
        assert [e.data["ticket"]["id"] for e in events if e.data] == [
            old_a1["id"],
            old_a2["id"],
            old_b1["id"],
        ]
        # Counter 3 is free again for Tuesday's queue.
        counter3 = next(
            c for c in ok(supervisor.get(f"/api/v1/branches/{branch}/counters")) if c["number"] == 3
        )
        assert (counter3["state"], counter3["current_ticket_id"]) == ("open", None)
        assert issue(kiosk, services["B"])["number"] == "B-001"
        again = call_next(supervisor, counters[3])
        assert again is not None and (again["number"], again["service_day"]) == (
            "B-001",
            "2026-03-03",
        )
