"""One definition of "average service time": the counter window's footer (``counter_today``)
and the report say the same for the same tickets (SQLite and PostgreSQL).

Service time = from the start of service to its finish, or from the (last) call when the
officer finished without pressing start (docs/REPORTS.md). Loket 1, Monday 2026-03-02, WIB:

=======  ==========  ==========  ==========  =====================================
ticket   called      started     finished    service time
=======  ==========  ==========  ==========  =====================================
A-001    08:00:00    08:01:00    08:02:00    60 s   (from the call it would be 120)
A-002    08:03:00    08:03:50    08:05:00    70 s   (120)
A-003    08:10:00    —           08:11:20    80 s   (never started: from the call)
=======  ==========  ==========  ==========  =====================================

Mean: (60 + 70 + 80) / 3 = 70 s. Counting from the call would say 320 / 3 ≈ 107 s (1:47),
which is what the footer said before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import OfficeTemplate
from tests.support.http import serve_in_process
from tests.support.live_server import FrozenClock
from tests.support.queue_ops import act, call_next, issue, ok, set_state


def wib(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC) - timedelta(hours=7)


def test_the_footer_and_the_report_agree_on_the_average_service_time(
    office_db: OfficeTemplate,
) -> None:
    clock = FrozenClock(wib(7, 50))
    with serve_in_process(office_db.url, clock=clock) as (_server, anon):
        office = office_db.office
        kiosk, p1 = anon.as_token(office.kiosk_token), anon.login("petugas1")
        loket1 = office.counters[1]
        set_state(p1, loket1, "open")
        tickets = [issue(kiosk, office.services["A"]) for _ in range(3)]
        plan = [
            (wib(8, 0), wib(8, 1), wib(8, 2)),
            (wib(8, 3), wib(8, 3, 50), wib(8, 5)),
            (wib(8, 10), None, wib(8, 11, 20)),
        ]
        for ticket, (called, started, finished) in zip(tickets, plan, strict=True):
            clock.now = called
            assert call_next(p1, loket1)["id"] == ticket["id"]  # type: ignore[index]
            if started is not None:
                clock.now = started
                act(p1, ticket["id"], "start")
            clock.now = finished
            act(p1, ticket["id"], "finish")

        footer = ok(p1.get(f"/api/v1/counters/{loket1}/today"))
        sup = anon.login("supervisor")
        report = ok(
            sup.get(
                f"/api/v1/branches/{office.branch_id}/reports/summary?from=2026-03-02&to=2026-03-02"
            )
        )
    (at_loket1,) = (c for c in report["counters"] if c["counter_id"] == loket1)
    assert footer["served"] == at_loket1["served"] == 3
    assert footer["average_service_seconds"] == 70
    assert at_loket1["mean_service_seconds"] == report["total"]["mean_service_seconds"] == 70.0
