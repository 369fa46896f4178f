"""A new ticket's place in the queue (``ahead``) after every kind of move into and out of it.

The server keeps a count of waiting tickets per service and day rather than counting the
queue on every issue; this walks each move that changes the queue (issue, call, return,
transfer of a waiting and of a called ticket, cancel, skip, finish, call by number) and checks
the next ticket's ``ahead`` against the waiting list the snapshot shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Running
from tests.support.queue_ops import act, call_next, issue, ok, set_state, waiting_numbers


def test_a_new_tickets_place_follows_every_move_of_the_queue(running: Running) -> None:
    office = running.office
    kiosk = running.kiosk
    officer = running.login("petugas1")
    supervisor = running.login("supervisor")
    a, b = office.services["A"], office.services["B"]
    counter1, counter2 = office.counters[1], office.counters[2]

    def issue_checked(service: int, prefix: str) -> dict[str, Any]:
        waiting = waiting_numbers(supervisor, office.branch_id).get(prefix, [])
        ticket = issue(kiosk, service)
        assert ticket["ahead"] == len(waiting), (prefix, waiting, ticket["number"])
        return ticket

    def then(move: Callable[[], Any]) -> None:
        move()
        issue_checked(a, "A")
        issue_checked(b, "B")

    first = issue_checked(a, "A")
    issue_checked(a, "A")
    issue_checked(b, "B")
    set_state(officer, counter1, "open")

    called: dict[str, Any] = {}
    then(lambda: called.update(call_next(officer, counter1) or {}))
    assert called["id"] == first["id"]
    then(lambda: act(officer, first["id"], "return"))
    then(lambda: called.update(call_next(officer, counter1) or {}))
    then(lambda: act(officer, called["id"], "skip"))
    then(lambda: called.update(call_next(officer, counter1) or {}))
    then(lambda: act(officer, called["id"], "start"))
    then(lambda: act(officer, called["id"], "finish"))
    # A waiting ticket moved by the supervisor from service A to service B.
    waiting_a = issue(kiosk, a)
    then(lambda: act(supervisor, waiting_a["id"], "transfer", {"service_id": b}))
    # A called ticket sent to another counter's queue.
    then(lambda: called.update(call_next(officer, counter1) or {}))
    then(lambda: act(officer, called["id"], "transfer", {"counter_id": counter2}))
    # Cancelled while waiting.
    doomed = issue(kiosk, a)
    then(lambda: act(supervisor, doomed["id"], "cancel"))
    # Called by its number, out of turn.
    later = issue(kiosk, a)
    then(
        lambda: ok(
            officer.post(f"/api/v1/counters/{counter1}/call", json={"number": later["number"]})
        )
    )
