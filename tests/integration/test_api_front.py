"""A supervisor moves a waiting ticket to the front: it is called next, the journal says who."""

from __future__ import annotations

from typing import Any

from tests.conftest import Running
from tests.support.http import Api
from tests.support.queue_ops import (
    act,
    call_next,
    expect_error,
    get_ticket,
    issue,
    journal_seq,
    ok,
    set_state,
    snapshot,
    waiting_numbers,
)
from tests.support.sse import EventStream


def front(api: Api, ticket_id: int) -> Any:
    return api.post(f"/api/v1/tickets/{ticket_id}/front")


def user_id(api: Api) -> int:
    return int(ok(api.get("/api/v1/auth/me"))["user"]["id"])


def test_a_ticket_moved_to_the_front_is_called_next_and_journaled(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    petugas1 = running.login("petugas1")
    a = [issue(running.kiosk, office.services["A"]) for _ in range(4)]
    seq = journal_seq(supervisor, office.branch_id)

    with EventStream(running.server.url, office.branch_id, supervisor.token, after=seq) as stream:
        moved = ok(front(supervisor, a[2]["id"]))
        (event,) = stream.events(1)
    assert (moved["id"], moved["state"], moved["number"]) == (a[2]["id"], "waiting", "A-003")
    assert moved["front_at"] is not None
    # Its arrival stays true: the waiting time shown and the reports are not bent.
    assert moved["issued_at"] == a[2]["issued_at"]
    assert event.event == "ticket.moved_to_front" and event.id == seq + 1
    assert event.data is not None
    assert event.data["ticket"]["id"] == a[2]["id"]
    assert event.data["user_id"] == user_id(supervisor)
    # Lists show it first, as it will be called.
    listed = waiting_numbers(supervisor, office.branch_id)["A"]
    assert listed == ["A-003", "A-001", "A-002", "A-004"]

    set_state(petugas1, office.counters[1], "open")
    called = call_next(petugas1, office.counters[1])
    assert called is not None and called["id"] == a[2]["id"]
    finished = call_next(petugas1, office.counters[1], finish_current=True)
    assert finished is not None and finished["id"] == a[0]["id"]  # then arrival order again


def test_the_latest_move_goes_first(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    petugas1 = running.login("petugas1")
    a = [issue(running.kiosk, office.services["A"]) for _ in range(3)]
    ok(front(supervisor, a[1]["id"]))
    ok(front(supervisor, a[2]["id"]))
    set_state(petugas1, office.counters[1], "open")
    order = []
    while (ticket := call_next(petugas1, office.counters[1], finish_current=True)) is not None:
        order.append(ticket["number"])
    assert order == ["A-003", "A-002", "A-001"]


def test_bad_moves_are_refused_and_change_nothing(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    petugas1 = running.login("petugas1")
    admin = running.login("admin")
    first = issue(running.kiosk, office.services["A"])
    second = issue(running.kiosk, office.services["A"])
    set_state(petugas1, office.counters[1], "open")
    called = call_next(petugas1, office.counters[1])
    assert called is not None and called["id"] == first["id"]
    seq = journal_seq(supervisor, office.branch_id)
    before = snapshot(supervisor, office.branch_id)

    # Not waiting (called), and closed tickets: 409, nothing journaled.
    expect_error(front(supervisor, first["id"]), 409, "invalid_transition")
    act(petugas1, first["id"], "finish")
    seq += 1
    expect_error(front(supervisor, first["id"]), 409, "invalid_transition")
    # An officer (even for a ticket of their own service), a device, nobody: refused.
    expect_error(front(petugas1, second["id"]), 403, "forbidden")
    expect_error(front(running.kiosk, second["id"]), 403, "forbidden")
    expect_error(front(running.anon, second["id"]), 401, "not_authenticated")
    # Unknown ticket, and a path that is not a ticket id.
    expect_error(front(supervisor, 999_999), 404, "ticket_not_found")
    expect_error(front(supervisor, 0), 422, "invalid_input")
    assert journal_seq(supervisor, office.branch_id) == seq
    assert get_ticket(supervisor, second["id"])["front_at"] is None
    assert [q["waiting"] for q in snapshot(supervisor, office.branch_id)["services"]] == [
        q["waiting"] for q in before["services"]
    ]
    # The admin role includes the supervisor's.
    assert ok(front(admin, second["id"]))["front_at"] is not None


def test_a_ticket_transferred_to_a_counter_cannot_be_moved(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    ticket = issue(running.kiosk, office.services["A"])
    moved = act(supervisor, ticket["id"], "transfer", {"counter_id": office.counters[2]})
    expect_error(front(supervisor, moved["id"]), 409, "ticket_for_other_counter")


def test_a_retry_with_the_same_key_moves_once(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    ticket = issue(running.kiosk, office.services["B"])
    seq = journal_seq(supervisor, office.branch_id)
    first = supervisor.post(f"/api/v1/tickets/{ticket['id']}/front", key="front-once")
    again = supervisor.post(f"/api/v1/tickets/{ticket['id']}/front", key="front-once")
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.content == again.content
    assert journal_seq(supervisor, office.branch_id) == seq + 1
