"""The ticket lifecycle over HTTP: every allowed move, refused moves, call order, numbering."""

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
    priority_class_ids,
    set_state,
    state_of,
)


def call(api: Api, counter_id: int, **body: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = ok(api.post(f"/api/v1/counters/{counter_id}/call", body))
    return ticket


def test_every_allowed_move(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    supervisor = in_process.login("supervisor")
    counter1 = office.counters[1]
    tickets = [issue(in_process.kiosk, office.services["A"]) for _ in range(7)]
    ids = [t["id"] for t in tickets]
    assert [t["number"] for t in tickets] == [f"A-00{i}" for i in range(1, 8)]
    set_state(petugas1, counter1, "open")
    seq = journal_seq(supervisor, office.branch_id)

    # waiting -> called -> called (recall) -> serving -> done
    first = call_next(petugas1, counter1)
    assert first is not None
    assert (first["id"], first["state"], first["call_count"]) == (ids[0], "called", 1)
    assert (first["counter_id"], first["counter_number"]) == (counter1, 1)
    assert first["called_at"] is not None and first["started_at"] is None
    recalled = act(petugas1, ids[0], "recall")
    assert (recalled["state"], recalled["call_count"]) == ("called", 2)
    started = act(petugas1, ids[0], "start")
    assert started["state"] == "serving" and started["started_at"] is not None
    done = act(petugas1, ids[0], "finish")
    assert done["state"] == "done" and done["closed_at"] is not None
    # called -> done (finished without a separate start)
    assert call_next(petugas1, counter1) is not None
    assert act(petugas1, ids[1], "finish")["state"] == "done"
    # called -> no_show
    assert call_next(petugas1, counter1) is not None
    assert act(petugas1, ids[2], "skip")["state"] == "no_show"
    # called -> waiting (returned), then called again
    assert call_next(petugas1, counter1) is not None
    returned = act(petugas1, ids[3], "return")
    assert (returned["state"], returned["counter_id"], returned["called_at"]) == (
        "waiting",
        None,
        None,
    )
    again = call_next(petugas1, counter1)
    assert again is not None and (again["id"], again["call_count"]) == (ids[3], 2)
    # called -> transferred
    moved = act(petugas1, ids[3], "transfer", {"service_id": office.services["B"]})
    assert moved["transferred_from_id"] == ids[3]
    # serving -> transferred
    assert call_next(petugas1, counter1) is not None
    act(petugas1, ids[4], "start")
    act(petugas1, ids[4], "transfer", {"counter_id": office.counters[2]})
    # waiting -> transferred, waiting -> cancelled (supervisor)
    act(supervisor, ids[5], "transfer", {"service_id": office.services["C"]})
    assert act(supervisor, ids[6], "cancel")["state"] == "cancelled"

    states = [state_of(supervisor, i) for i in ids]
    assert states == [
        "done",
        "done",
        "no_show",
        "transferred",
        "transferred",
        "transferred",
        "cancelled",
    ]
    # One journal event per move: A-001 4, A-002 2, A-003 2, A-004 4, A-005 3, A-006 1, A-007 1.
    assert journal_seq(supervisor, office.branch_id) == seq + 17


INVALID: dict[str, list[str]] = {
    "waiting": ["recall", "start", "finish", "skip", "return"],
    "called": ["cancel"],
    "serving": ["recall", "start", "skip", "return", "cancel"],
    "done": ["recall", "start", "finish", "skip", "return", "cancel"],
    "no_show": ["recall", "start", "finish", "skip", "return", "cancel"],
    "cancelled": ["recall", "start", "finish", "skip", "return", "cancel"],
}


def test_wrong_state_moves_are_409_and_change_nothing(in_process: Running) -> None:
    office = in_process.office
    supervisor = in_process.login("supervisor")
    services, counters = office.services, office.counters
    for number in (1, 2, 3, 4):
        set_state(supervisor, counters[number], "open")
    waiting = issue(in_process.kiosk, services["C"])
    called = issue(in_process.kiosk, services["A"])
    serving = issue(in_process.kiosk, services["A"])
    done = issue(in_process.kiosk, services["B"])
    no_show = issue(in_process.kiosk, services["B"])
    cancelled = issue(in_process.kiosk, services["D"])
    call(supervisor, counters[3], ticket_id=done["id"])
    act(supervisor, done["id"], "finish")
    call(supervisor, counters[3], ticket_id=no_show["id"])
    act(supervisor, no_show["id"], "skip")
    act(supervisor, cancelled["id"], "cancel")
    call(supervisor, counters[2], ticket_id=serving["id"])
    act(supervisor, serving["id"], "start")
    call(supervisor, counters[1], ticket_id=called["id"])
    by_state = {
        "waiting": waiting,
        "called": called,
        "serving": serving,
        "done": done,
        "no_show": no_show,
        "cancelled": cancelled,
    }
    before = {state: get_ticket(supervisor, t["id"]) for state, t in by_state.items()}
    seq = journal_seq(supervisor, office.branch_id)

    refused = 0
    for state, actions in INVALID.items():
        ticket = by_state[state]
        for action in actions:
            response = supervisor.post(f"/api/v1/tickets/{ticket['id']}/{action}")
            body = expect_error(response, 409, "invalid_transition")
            assert body["details"] == {"state": state, "action": action}, body
            assert ticket["number"] in body["message"] and state in body["message"]
            refused += 1
        if state in ("done", "no_show", "cancelled"):
            response = supervisor.post(
                f"/api/v1/tickets/{ticket['id']}/transfer", {"service_id": services["A"]}
            )
            expect_error(response, 409, "invalid_transition")
        else:
            # Calling is only from waiting: the called/serving ones are refused too.
            response = supervisor.post(
                f"/api/v1/counters/{counters[4]}/call", {"ticket_id": ticket["id"]}
            )
            if state == "waiting":
                assert response.status_code == 200, response.text
                act(supervisor, ticket["id"], "return")
            else:
                expect_error(response, 409, "invalid_transition")
    assert refused == 29

    # A refused move changed nothing: same rows, no journal event beyond the call + return.
    after = {state: get_ticket(supervisor, t["id"]) for state, t in by_state.items()}
    for state in ("called", "serving", "done", "no_show", "cancelled"):
        assert after[state] == before[state], state
    assert after["waiting"]["state"] == "waiting"
    assert journal_seq(supervisor, office.branch_id) == seq + 2

    # An officer on their own counter gets the same 409, not a permission error.
    petugas3 = in_process.login("petugas3")
    set_state(supervisor, counters[3], "closed")
    set_state(petugas3, counters[3], "open")
    expect_error(petugas3.post(f"/api/v1/tickets/{done['id']}/start"), 409, "invalid_transition")
    assert state_of(supervisor, done["id"]) == "done"


def test_call_next_busy_finish_current_and_empty_queue(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    supervisor = in_process.login("supervisor")
    counter1 = office.counters[1]
    first = issue(in_process.kiosk, office.services["A"])
    second = issue(in_process.kiosk, office.services["A"])

    # A closed counter, or one on a break, does not call.
    expect_error(supervisor.post(f"/api/v1/counters/{counter1}/call-next"), 409, "counter_not_open")
    set_state(petugas1, counter1, "open")
    set_state(petugas1, counter1, "break")
    expect_error(petugas1.post(f"/api/v1/counters/{counter1}/call-next"), 409, "counter_not_open")
    set_state(petugas1, counter1, "open")

    called = call_next(petugas1, counter1)
    assert called is not None and called["id"] == first["id"]
    seq = journal_seq(supervisor, office.branch_id)
    for state in ("called", "serving"):
        body = expect_error(
            petugas1.post(f"/api/v1/counters/{counter1}/call-next"), 409, "counter_busy"
        )
        assert body["details"] == {"ticket_id": first["id"]}
        expect_error(
            petugas1.post(f"/api/v1/counters/{counter1}/call", {"number": "A-002"}),
            409,
            "counter_busy",
        )
        expect_error(
            petugas1.post(f"/api/v1/counters/{counter1}/state", {"state": "closed"}),
            409,
            "counter_busy",
        )
        assert state_of(supervisor, first["id"]) == state
        if state == "called":
            act(petugas1, first["id"], "start")
    assert state_of(supervisor, second["id"]) == "waiting"
    assert journal_seq(supervisor, office.branch_id) == seq + 1  # only the start

    answer = ok(petugas1.post(f"/api/v1/counters/{counter1}/call-next", {"finish_current": True}))
    assert (answer["finished"]["id"], answer["finished"]["state"]) == (first["id"], "done")
    assert (answer["ticket"]["id"], answer["ticket"]["state"]) == (second["id"], "called")
    assert state_of(supervisor, first["id"]) == "done"

    answer = ok(petugas1.post(f"/api/v1/counters/{counter1}/call-next", {"finish_current": True}))
    assert answer["finished"]["id"] == second["id"] and answer["ticket"] is None
    answer = ok(petugas1.post(f"/api/v1/counters/{counter1}/call-next"))
    assert answer == {"ticket": None, "finished": None}
    # Waiting tickets of other services are not for counter 1.
    issue(in_process.kiosk, office.services["B"])
    assert call_next(petugas1, counter1) is None
    closed = set_state(petugas1, counter1, "closed")
    assert (closed["state"], closed["officer_id"], closed["current_ticket_id"]) == (
        "closed",
        None,
        None,
    )


def test_call_order_oldest_first_with_priority_runs(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    petugas2 = in_process.login("petugas2")
    lansia = priority_class_ids(petugas1, office.branch_id)["lansia"]
    regular = [issue(in_process.kiosk, office.services["A"]) for _ in range(5)]  # A-001..A-005
    priority = [
        issue(in_process.kiosk, office.services["A"], priority_class_id=lansia) for _ in range(4)
    ]  # A-006..A-009
    assert [t["priority"] for t in regular + priority] == [False] * 5 + [True] * 4
    assert priority[-1]["number"] == "A-009"

    set_state(petugas1, office.counters[1], "open")
    order = []
    while (ticket := call_next(petugas1, office.counters[1], finish_current=True)) is not None:
        order.append(ticket["number"])
    # priority_run=2, regular_run=3: two priority, three regular, two priority, then the rest.
    assert order == [
        "A-006",
        "A-007",
        "A-001",
        "A-002",
        "A-003",
        "A-008",
        "A-009",
        "A-004",
        "A-005",
    ]

    # A counter with two services takes the longest-waiting ticket across both.
    b1 = issue(in_process.kiosk, office.services["B"])
    a10 = issue(in_process.kiosk, office.services["A"])
    b2 = issue(in_process.kiosk, office.services["B"])
    set_state(petugas2, office.counters[2], "open")
    order = []
    while (ticket := call_next(petugas2, office.counters[2], finish_current=True)) is not None:
        order.append(ticket["id"])
    assert order == [b1["id"], a10["id"], b2["id"]]


def test_call_ticket_by_number(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    counter1 = office.counters[1]
    tickets = [issue(in_process.kiosk, office.services["A"]) for _ in range(4)]
    set_state(petugas1, counter1, "open")

    third = call(petugas1, counter1, number="A-003")
    assert (third["id"], third["number"], third["state"]) == (tickets[2]["id"], "A-003", "called")
    act(petugas1, third["id"], "finish")
    # Short forms of the same number; an already-served one is refused, an unknown one too.
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter1}/call", {"number": "a3"}),
        409,
        "invalid_transition",
    )
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter1}/call", {"number": "A-099"}),
        409,
        "ticket_number_unknown",
    )
    fourth = call(petugas1, counter1, number="A 4")
    assert fourth["id"] == tickets[3]["id"]
    act(petugas1, fourth["id"], "finish")
    # The queue goes on in order with what is left.
    nxt = call_next(petugas1, counter1, finish_current=True)
    assert nxt is not None and nxt["number"] == "A-001"
    nxt = call_next(petugas1, counter1, finish_current=True)
    assert nxt is not None and nxt["number"] == "A-002"
    assert call_next(petugas1, counter1, finish_current=True) is None


def test_numbers_per_service_are_never_reused_and_estimates_are_exact(in_process: Running) -> None:
    office = in_process.office
    supervisor = in_process.login("supervisor")
    petugas1 = in_process.login("petugas1")
    a, b = office.services["A"], office.services["B"]
    first = issue(in_process.kiosk, a)
    assert (first["ahead"], first["wait_seconds"]) == (0, None)  # no counter open for A yet
    second = issue(in_process.kiosk, a)
    assert issue(in_process.kiosk, b)["number"] == "B-001"
    act(supervisor, second["id"], "cancel")
    numbers = [issue(in_process.kiosk, a)["number"], issue(in_process.kiosk, b)["number"]]
    assert numbers == ["A-003", "B-002"]  # A-002 was cancelled but is not given out again

    # Counter 1 serves only A (default 420 s) and is idle: the queue played forward
    # (core.forward_estimate) calls A-001 now, A-003 at 420 s and A-004 at 840 s.
    set_state(petugas1, office.counters[1], "open")
    fourth = issue(in_process.kiosk, a)
    assert (fourth["number"], fourth["ahead"], fourth["wait_seconds"]) == ("A-004", 2, 840)
    low, high = fourth["wait_low_seconds"], fourth["wait_high_seconds"]
    assert low % 60 == 0 and high % 60 == 0 and low < 840 < high
    status = ok(in_process.anon.get(f"/api/v1/public/tickets/{fourth['code']}"))
    assert (status["ahead"], status["wait_seconds"]) == (2, 840)
    assert (status["wait_low_seconds"], status["wait_high_seconds"]) == (low, high)
    page = in_process.anon.get(f"/t/{fourth['code']}")
    assert page.status_code == 200
    shown = f'<dd id="wait">sekitar {low // 60}–{high // 60} menit</dd>'
    assert shown in page.text
    # Counter 2 serves A and B (default 300 s): it takes B-001 (it arrived before A-003) at
    # once, A-003 at 300 s; counter 1 is free again at 420 s for A-004.
    petugas2 = in_process.login("petugas2")
    set_state(petugas2, office.counters[2], "open")
    assert get_ticket(supervisor, fourth["id"])["wait_seconds"] == 420
    assert get_ticket(supervisor, first["id"])["ahead"] == 0


def test_recall_counts_and_return_goes_back_first(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    petugas2 = in_process.login("petugas2")
    counter1, counter2 = office.counters[1], office.counters[2]
    first = issue(in_process.kiosk, office.services["A"])
    second = issue(in_process.kiosk, office.services["A"])
    set_state(petugas1, counter1, "open")

    called = call_next(petugas1, counter1)
    assert called is not None and called["call_count"] == 1
    assert act(petugas1, first["id"], "recall")["call_count"] == 2
    assert act(petugas1, first["id"], "recall")["call_count"] == 3
    returned = act(petugas1, first["id"], "return")
    assert (returned["state"], returned["call_count"], returned["counter_id"]) == (
        "waiting",
        3,
        None,
    )
    assert returned["issued_at"] == first["issued_at"]
    # Back at its place by arrival: any counter serving A calls it before the younger A-002.
    set_state(petugas2, counter2, "open")
    again = call_next(petugas2, counter2)
    assert again is not None
    assert (again["id"], again["call_count"], again["counter_number"]) == (first["id"], 4, 2)
    nxt = call_next(petugas1, counter1)
    assert nxt is not None and nxt["id"] == second["id"]
