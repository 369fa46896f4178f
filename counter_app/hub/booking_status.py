"""A ticket's status as the hub knows it, from its copy of the branch's journal.

The hub does not run the branch's queue: it shows what the branch's events say, as of the
last event it holds, and how old that is. ``ahead`` counts the tickets of the same service
still waiting, as of that event, that joined the queue before this one: a count of facts, not
an estimate (the branch's call order can still put an appointment or a moved ticket first).
No waiting time is guessed here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app.hub.booking import BRANCH_AWAY_AFTER
from counter_app.hub.booking_models import HubBookingBranch
from counter_app.hub.models import HubBranch, HubEventRow

# Events in hub_events are found by ticket code and by time without reading a branch's whole
# journal (created with the hub's tables; IF NOT EXISTS: an existing hub database gets them).
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_hub_events_ticket_code "
    "ON hub_events (((payload->'ticket'->>'code')))",
    "CREATE INDEX IF NOT EXISTS ix_hub_events_branch_at ON hub_events (branch_id, at)",
)
STALE_AFTER = BRANCH_AWAY_AFTER  # no pull or push for this long: the office is away


@dataclass(frozen=True)
class KnownStatus:
    code: str
    number: str
    state: str
    service_name: str
    branch_name: str
    counter_name: str | None
    counter_number: int | None
    ahead: int | None
    now_calling: list[str]
    as_of: datetime  # the time of the latest event the hub holds of this branch
    branch_synced_at: datetime | None
    stale: bool
    timezone: str


@dataclass(frozen=True)
class ServiceQueue:
    """One service's tickets as of the latest event: who waits, in order of joining, and the
    numbers being called. Shared by the page and the live streams (``hub.status_streams``)."""

    waiting: list[tuple[str, int]]  # (enqueued_at, id), sorted
    calling: list[str]

    @classmethod
    def of(cls, tickets: Iterable[dict[str, Any]]) -> ServiceQueue:
        waiting: list[tuple[str, int]] = []
        calling: list[str] = []
        for t in tickets:
            state = t.get("state")
            if state == "waiting":
                waiting.append((str(t.get("enqueued_at")), int(t.get("id") or 0)))
            elif state == "called":
                calling.append(str(t.get("number")))
        waiting.sort()
        calling.sort()
        return cls(waiting, calling)

    def ahead_of(self, mine: dict[str, Any]) -> int | None:
        """Tickets still waiting that joined before ``mine``; ``None`` unless it waits."""
        if mine.get("state") != "waiting":
            return None
        return bisect_left(self.waiting, (str(mine.get("enqueued_at")), int(mine.get("id") or 0)))


def _ticket_events(session: Session, branch_id: int, since: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        select(HubEventRow.payload)
        .where(
            HubEventRow.branch_id == branch_id,
            HubEventRow.at >= since,
            text("hub_events.payload->'ticket' IS NOT NULL"),
            text("jsonb_typeof(hub_events.payload->'ticket') = 'object'"),
        )
        .order_by(HubEventRow.seq)
    ).all()
    return [row[0]["ticket"] for row in rows]


def ticket_status(session: Session, code: str, now: datetime) -> KnownStatus | None:
    """The last known status of the ticket ``code`` (any branch), or ``None``."""
    found = session.execute(
        select(HubEventRow.branch_id, HubEventRow.payload)
        .where(text("(hub_events.payload->'ticket'->>'code') = :code"))
        .order_by(HubEventRow.seq.desc())
        .limit(1),
        {"code": code},
    ).first()
    if found is None:
        return None
    branch_id, payload = int(found[0]), found[1]
    mine = payload["ticket"]
    branch = session.get(HubBranch, branch_id)
    setup = session.get(HubBookingBranch, branch_id)
    assert branch is not None
    zone = setup.timezone if setup is not None else "Asia/Jakarta"
    day = datetime.fromisoformat(str(mine["service_day"])).date()
    since = datetime.combine(day, time(0), ZoneInfo(zone))
    latest: dict[int, dict[str, Any]] = {}
    for ticket in _ticket_events(session, branch_id, since):
        if ticket.get("service_id") == mine["service_id"]:
            latest[int(ticket["id"])] = ticket
    mine = latest.get(int(mine["id"]), mine)
    queue = ServiceQueue.of(latest.values())
    ahead = queue.ahead_of(mine)
    calling = queue.calling
    as_of = session.scalar(
        select(HubEventRow.at).where(
            HubEventRow.branch_id == branch_id, HubEventRow.seq == branch.last_seq
        )
    )
    synced = branch.last_sync_at
    return KnownStatus(
        code=mine["code"],
        number=mine["number"],
        state=mine["state"],
        service_name=mine.get("service_name") or "",
        branch_name=setup.name if setup is not None else branch.name,
        counter_name=mine.get("counter_name"),
        counter_number=mine.get("counter_number"),
        ahead=ahead,
        now_calling=calling,
        as_of=as_of or now,
        branch_synced_at=synced,
        stale=synced is None or now - synced > STALE_AFTER,
        timezone=zone,
    )
