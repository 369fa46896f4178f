"""Transfers over HTTP: to a named counter, to another service; the public status follows."""

from __future__ import annotations

from tests.conftest import Running
from tests.support.queue_ops import (
    act,
    call_next,
    expect_error,
    get_ticket,
    issue,
    journal_seq,
    ok,
    set_state,
)


def test_transfer_to_a_counter_jumps_its_queue_with_the_same_number(running: Running) -> None:
    office = running.office
    petugas1 = running.login("petugas1")
    petugas2 = running.login("petugas2")
    supervisor = running.login("supervisor")
    counter1, counter2 = office.counters[1], office.counters[2]
    b1 = issue(running.kiosk, office.services["B"])
    b2 = issue(running.kiosk, office.services["B"])
    a1 = issue(running.kiosk, office.services["A"])
    a2 = issue(running.kiosk, office.services["A"])
    set_state(petugas1, counter1, "open")
    called = call_next(petugas1, counter1)
    assert called is not None and called["id"] == a1["id"]
    act(petugas1, a1["id"], "start")
    seq = journal_seq(supervisor, office.branch_id)

    moved = act(petugas1, a1["id"], "transfer", {"counter_id": counter2, "note": "Foto ulang"})
    assert moved["id"] != a1["id"]
    assert (moved["number"], moved["code"], moved["service_id"]) == (
        "A-001",
        a1["code"],
        office.services["A"],
    )
    assert (moved["state"], moved["target_counter_id"], moved["transferred_from_id"]) == (
        "waiting",
        counter2,
        a1["id"],
    )
    assert (moved["note"], moved["call_count"], moved["issued_at"]) == (
        "Foto ulang",
        0,
        a1["issued_at"],
    )
    original = get_ticket(supervisor, a1["id"])
    assert (original["state"], original["counter_id"]) == ("transferred", counter1)
    assert original["closed_at"] is not None
    assert journal_seq(supervisor, office.branch_id) == seq + 1
    # Counter 1 is free again and does not get a ticket addressed to counter 2.
    nxt = call_next(petugas1, counter1)
    assert nxt is not None and nxt["id"] == a2["id"]

    # Counter 2 calls the transfer before B-001 and B-002, who have waited longer.
    set_state(petugas2, counter2, "open")
    order = []
    while (ticket := call_next(petugas2, counter2, finish_current=True)) is not None:
        order.append((ticket["id"], ticket["number"]))
    assert order == [(moved["id"], "A-001"), (b1["id"], "B-001"), (b2["id"], "B-002")]

    # A transfer to the counter the ticket is already at is refused; a closed ticket too.
    expect_error(
        petugas1.post(f"/api/v1/tickets/{a2['id']}/transfer", {"counter_id": counter1}),
        409,
        "same_counter",
    )
    expect_error(
        supervisor.post(f"/api/v1/tickets/{a1['id']}/transfer", {"counter_id": counter2}),
        409,
        "invalid_transition",
    )
    expect_error(
        supervisor.post(f"/api/v1/tickets/{a2['id']}/transfer", {"counter_id": 999_999}),
        404,
        "counter_not_found",
    )


def test_transfer_to_a_service_and_the_status_page_follows(running: Running) -> None:
    office = running.office
    petugas1 = running.login("petugas1")
    petugas4 = running.login("petugas4")
    supervisor = running.login("supervisor")
    a1 = issue(running.kiosk, office.services["A"])
    c1 = issue(running.kiosk, office.services["C"])
    set_state(petugas1, office.counters[1], "open")
    assert call_next(petugas1, office.counters[1]) is not None
    status = ok(running.anon.get(f"/api/v1/public/tickets/{a1['code']}"))
    assert (status["state"], status["counter_number"], status["number"]) == ("called", 1, "A-001")

    moved = act(petugas1, a1["id"], "transfer", {"service_id": office.services["C"]})
    assert (moved["number"], moved["service_id"], moved["service_name"]) == (
        "A-001",
        office.services["C"],
        "Akta Kelahiran",
    )
    assert (moved["target_counter_id"], moved["transferred_from_id"]) == (None, a1["id"])
    assert get_ticket(supervisor, a1["id"])["state"] == "transferred"

    # The citizen's code now shows the new queue entry: waiting for Akta Kelahiran, with
    # C-001 (issued later than A-001) behind it.
    status = ok(running.anon.get(f"/api/v1/public/tickets/{a1['code']}"))
    assert (status["state"], status["service_name"], status["number"]) == (
        "waiting",
        "Akta Kelahiran",
        "A-001",
    )
    assert (status["counter_number"], status["ahead"]) == (None, 0)
    assert ok(running.anon.get(f"/api/v1/public/tickets/{c1['code']}"))["ahead"] == 1

    # Counter 4 (C and D) calls it by arrival: A-001 first, then C-001.
    set_state(petugas4, office.counters[4], "open")
    first = call_next(petugas4, office.counters[4])
    assert first is not None and first["id"] == moved["id"]
    status = ok(running.anon.get(f"/api/v1/public/tickets/{a1['code']}"))
    assert (status["state"], status["counter_number"], status["counter_name"]) == (
        "called",
        4,
        "Loket 4",
    )
    assert status["now_calling"] == ["A-001"]
    act(petugas4, moved["id"], "finish")
    assert ok(running.anon.get(f"/api/v1/public/tickets/{a1['code']}"))["state"] == "done"
    second = call_next(petugas4, office.counters[4])
    assert second is not None and second["id"] == c1["id"]

    # A moved ticket may move on again; each step links to the one before.
    again = act(petugas4, c1["id"], "transfer", {"service_id": office.services["D"]})
    again2 = act(supervisor, again["id"], "transfer", {"counter_id": office.counters[3]})
    assert (again2["transferred_from_id"], again2["number"], again2["service_id"]) == (
        again["id"],
        "C-001",
        office.services["D"],
    )
    expect_error(
        supervisor.post(f"/api/v1/tickets/{again2['id']}/transfer", {"service_id": 999_999}),
        404,
        "service_not_found",
    )
