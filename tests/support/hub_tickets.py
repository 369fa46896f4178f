"""Ticket events with public codes, pushed to a hub as a branch's pusher would: for the hub's
live status pages (tests and bench/hub_status_fanout.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests

HUB_API = "/hub/v1"
ZONE = ZoneInfo("Asia/Jakarta")


@dataclass
class Journal:
    """One branch's journal, built event by event: ``issue``, ``call``, ``finish``."""

    prefix: str = "A"
    service_id: int = 1
    events: list[dict[str, Any]] = field(default_factory=list)
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    pushed: int = 0

    @property
    def seq(self) -> int:
        return len(self.events)

    def _event(self, kind: str, ticket: dict[str, Any] | None, at: datetime) -> dict[str, Any]:
        event = {
            "seq": self.seq + 1,
            "kind": kind,
            "at": at.isoformat(),
            "branch_id": 1,
            "ticket": dict(ticket) if ticket is not None else None,
            "counter": None,
            "user_id": None,
            "device_id": None,
            "data": {},
        }
        self.events.append(event)
        return event

    def issue(self, code: str, at: datetime | None = None) -> dict[str, Any]:
        at = at or datetime.now(UTC)
        number = len(self.tickets) + 1
        ticket = {
            "id": number,
            "code": code,
            "number": f"{self.prefix}-{number:03d}",
            "service_id": self.service_id,
            "service_name": "Layanan A",
            "service_day": at.astimezone(ZONE).date().isoformat(),
            "state": "waiting",
            "enqueued_at": at.isoformat(),
            "counter_name": None,
            "counter_number": None,
        }
        self.tickets[code] = ticket
        return self._event("ticket.issued", ticket, at)

    def move(self, code: str, state: str, counter: int | None = 1) -> dict[str, Any]:
        ticket = self.tickets[code]
        ticket["state"] = state
        ticket["counter_number"] = counter
        ticket["counter_name"] = f"Loket {counter}" if counter is not None else None
        kind = {"called": "ticket.called", "done": "ticket.finished"}.get(state, "ticket.moved")
        return self._event(kind, ticket, datetime.now(UTC))

    def note(self) -> dict[str, Any]:
        """An event without a ticket (a counter opened)."""
        return self._event("counter.state", None, datetime.now(UTC))

    def body(self) -> dict[str, Any]:
        """The push of every event not pushed yet (and marks them pushed)."""
        batch = [
            {"seq": e["seq"], "kind": e["kind"], "at": e["at"], "payload": e}
            for e in self.events[self.pushed :]
        ]
        self.pushed = self.seq
        return {"events": batch}


def push(hub_url: str, key: str, journal: Journal) -> dict[str, Any]:
    r = requests.post(
        f"{hub_url}{HUB_API}/journal",
        json=journal.body(),
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer
