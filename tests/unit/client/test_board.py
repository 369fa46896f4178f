"""The board a window draws: a snapshot, then events applied in order (no server needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from counter_app.client.board import BranchBoard, Change
from counter_app.schemas.tickets import EventOut, QueueSnapshot, TicketOut

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BRANCH = {
    "id": 1,
    "code": "demo",
    "name": "Kantor",
    "timezone": "Asia/Jakarta",
    "address": "",
    "priority_run": 2,
    "regular_run": 3,
    "multi_service_rule": "longest_wait",
    "appointment_early_minutes": 15,
    "opening_hours": {},
    "running_text": "",
}
BOOKING = {
    "enabled": False,
    "slot_minutes": 30,
    "capacity": 1,
    "window_days": 7,
    "check_in_before": 30,
    "check_in_after": 15,
}


def service(service_id: int, prefix: str, target: int = 30, seconds: int = 300) -> dict[str, Any]:
    return {
        "id": service_id,
        "branch_id": 1,
        "prefix": prefix,
        "name": f"Layanan {prefix}",
        "active": True,
        "position": service_id,
        "default_service_seconds": seconds,
        "target_wait_minutes": target,
        "daily_quota": None,
        "booking": BOOKING,
    }


def counter(counter_id: int, services: list[int], state: str = "open") -> dict[str, Any]:
    return {
        "id": counter_id,
        "branch_id": 1,
        "number": counter_id,
        "name": f"Loket {counter_id}",
        "state": state,
        "break_reason": "",
        "officer_id": None,
        "service_ids": services,
    }


def ticket(ticket_id: int, service_id: int = 1, minute: int = 0, **extra: Any) -> TicketOut:
    prefix = "AB"[service_id - 1]
    data: dict[str, Any] = {
        "id": ticket_id,
        "code": f"C{ticket_id}",
        "number": f"{prefix}-{ticket_id:03d}",
        "prefix": prefix,
        "sequence": ticket_id,
        "branch_id": 1,
        "service_id": service_id,
        "service_name": f"Layanan {prefix}",
        "service_day": "2026-03-02",
        "state": "waiting",
        "source": "kiosk",
        "priority": False,
        "priority_class_id": None,
        "counter_id": None,
        "counter_number": None,
        "counter_name": None,
        "target_counter_id": None,
        "officer_id": None,
        "issued_at": (T0 + timedelta(minutes=minute)).isoformat(),
        "enqueued_at": (T0 + timedelta(minutes=minute)).isoformat(),
        "called_at": None,
        "started_at": None,
        "closed_at": None,
        "call_count": 0,
        "transferred_from_id": None,
        "note": "",
    }
    data.update(extra)
    return TicketOut.model_validate(data)


def board(
    waiting: list[TicketOut], *, estimated: int | None = None, counters: list[Any] | None = None
) -> BranchBoard:
    queues = []
    for s in (service(1, "A", target=30, seconds=300), service(2, "B", target=10)):
        mine = [t for t in waiting if t.service_id == s["id"]]
        queues.append(
            {
                "service": s,
                "waiting_count": len(mine),
                "issued_today": len(mine),
                "longest_wait_seconds": None,
                "estimated_wait_seconds": estimated if s["id"] == 1 else None,
                "waiting": [t.model_dump(mode="json") for t in mine],
            }
        )
    snapshot = QueueSnapshot.model_validate(
        {
            "seq": 10,
            "at": T0.isoformat(),
            "branch": BRANCH,
            "services": queues,
            "counters": counters or [counter(1, [1]), counter(2, [1, 2], "closed")],
            "open_tickets": [],
            "recent_calls": [],
        }
    )
    return BranchBoard.from_snapshot(snapshot)


def event(seq: int, kind: str, ticket: TicketOut, **extra: Any) -> EventOut:
    return EventOut.model_validate(
        {
            "seq": seq,
            "kind": kind,
            "at": T0.isoformat(),
            "branch_id": 1,
            "ticket": ticket.model_dump(mode="json"),
            "user_id": 7,
            **extra,
        }
    )


def numbers(tickets: list[TicketOut]) -> list[str]:
    return [t.number for t in tickets]


def test_a_ticket_moved_to_the_front_is_listed_first() -> None:
    b = board([ticket(1, minute=1), ticket(2, minute=2), ticket(3, minute=3)])
    assert numbers(b.waiting_for_service(1)) == ["A-001", "A-002", "A-003"]
    moved = ticket(3, minute=3, front_at=(T0 + timedelta(minutes=9)).isoformat())
    assert b.apply(event(11, "ticket.moved_to_front", moved)) == {Change.QUEUE}
    assert b.seq == 11
    assert numbers(b.waiting_for_service(1)) == ["A-003", "A-001", "A-002"]
    assert numbers(b.waiting_for_counter(1)) == ["A-003", "A-001", "A-002"]
    # A second move goes before the first one.
    again = ticket(2, minute=2, front_at=(T0 + timedelta(minutes=10)).isoformat())
    b.apply(event(12, "ticket.moved_to_front", again))
    assert numbers(b.waiting_for_service(1)) == ["A-002", "A-003", "A-001"]


def test_a_stale_or_skipped_event_is_not_applied() -> None:
    b = board([ticket(1), ticket(2, minute=1)])
    moved = ticket(2, minute=1, front_at=T0.isoformat())
    assert b.apply(event(10, "ticket.moved_to_front", moved)) == set()
    assert numbers(b.waiting_for_service(1)) == ["A-001", "A-002"]
    assert b.apply(event(12, "ticket.moved_to_front", moved)) == {Change.RESYNC}


def test_overdue_tickets_by_their_services_target() -> None:
    b = board([ticket(1, 1, minute=0), ticket(2, 2, minute=0), ticket(3, 1, minute=20)])
    assert b.overdue(T0 + timedelta(minutes=10)) == []  # B's target is 10 min: not past it
    late = b.overdue(T0 + timedelta(minutes=10, seconds=1))
    assert numbers(late) == ["B-002"]
    assert numbers(b.overdue(T0 + timedelta(minutes=31))) == ["A-001", "B-002"]
    assert b.longest_wait(1, T0 + timedelta(minutes=31)) == 31 * 60
    assert b.longest_wait(2, T0) == 0
    b.place(ticket(2, 2, minute=0, state="cancelled"))
    assert numbers(b.overdue(T0 + timedelta(hours=1))) == ["A-001", "A-003"]
    assert b.longest_wait(2, T0) is None


def test_estimated_wait_follows_the_queue_and_the_open_counters() -> None:
    # The server said 750 s for service A with 2 waiting and one open counter serving only A:
    # (2 + 1/2) x 300 / 1, so the typical service is 300 s.
    b = board([ticket(1), ticket(2, minute=1)], estimated=750)
    assert b.typical_seconds[1] == 300
    assert b.estimated_wait(1) == 750
    b.place(ticket(3, minute=2))
    assert b.estimated_wait(1) == round(3.5 * 300)
    # Loket 2 (A and B) opens: A gets 1 + 1/2 counters.
    opened = counter(2, [1, 2])
    b.apply(event(11, "counter.state", ticket(3, minute=2), counter=opened))
    assert b.estimated_wait(1) == round(3.5 * 300 / 1.5)
    # No counter open for B at the snapshot: its default time, and no estimate until one is.
    assert b.typical_seconds[2] == 300
    closed = board([], counters=[counter(1, [1], "closed")])
    assert closed.estimated_wait(1) is None
