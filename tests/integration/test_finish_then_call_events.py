"""``call-next`` with ``finish_current`` journals the finish, then the call, as two consecutive
events; the finish's event is journaled with the call's (just before it) rather than first,
so the branch's sequence lock is not held through the call half (store.tickets.calling)."""

from __future__ import annotations

from typing import Any

from counter_app.store import journal
from counter_app.store.db import Database
from tests.conftest import OfficeTemplate, Running
from tests.support.queue_ops import issue, journal_seq, ok, set_state


def _events_after(url: str, branch_id: int, seq: int) -> list[dict[str, Any]]:
    db = Database(url)
    try:
        with db.read() as session:
            return list(journal.events_between(session, branch_id, seq))
    finally:
        db.dispose()


def test_finish_then_call_journals_both_in_order(
    in_process: Running, office_db: OfficeTemplate
) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    counter1 = office.counters[1]
    branch = office.branch_id
    first = issue(in_process.kiosk, office.services["A"])
    second = issue(in_process.kiosk, office.services["A"])
    set_state(petugas1, counter1, "open")
    ok(petugas1.post(f"/api/v1/counters/{counter1}/call-next"))

    seq = journal_seq(petugas1, branch)
    ok(petugas1.post(f"/api/v1/counters/{counter1}/call-next", {"finish_current": True}))
    finished, called = _events_after(office_db.url, branch, seq)
    assert (finished["seq"], called["seq"]) == (seq + 1, seq + 2)
    assert (finished["kind"], finished["ticket"]["id"]) == ("ticket.finished", first["id"])
    assert finished["ticket"]["state"] == "done"
    assert finished["counter"]["current_ticket_id"] is None
    assert (called["kind"], called["ticket"]["id"]) == ("ticket.called", second["id"])
    assert called["counter"]["current_ticket_id"] == second["id"]

    # Nobody left: the finish is journaled alone.
    seq = journal_seq(petugas1, branch)
    answer = ok(petugas1.post(f"/api/v1/counters/{counter1}/call-next", {"finish_current": True}))
    assert answer["ticket"] is None
    (only,) = _events_after(office_db.url, branch, seq)
    assert (only["seq"], only["kind"], only["ticket"]["id"]) == (
        seq + 1,
        "ticket.finished",
        second["id"],
    )
