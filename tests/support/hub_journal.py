"""A branch's day as journal events, written out by hand, and pushed to a hub as a branch's
pusher would (``push_journal``, ``push_report_feed``): for the hub's pages in a browser and
their screenshots, where real branch servers would only add start-up time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

HUB_API = "/hub/v1"
SERVICE_ID, COUNTER_ID, OFFICER_ID = 1, 1, 2


@dataclass(frozen=True)
class Visit:
    """Minutes after the day's opening: issued, called (None: still waiting), finished."""

    issued: float
    called: float | None = None
    finished: float | None = None


def day_events(
    day: date, zone: str, visits: list[Visit], opens: time = time(8)
) -> list[dict[str, Any]]:
    """The journal of a day at one counter (Loket 1, service A): the counter opened, then
    each visit issued, called and finished, in time order, numbered from 1."""
    start = datetime.combine(day, opens, ZoneInfo(zone))
    happenings: list[tuple[float, int, str, int]] = [(-5.0, 0, "counter.state", 0)]
    for number, visit in enumerate(visits, start=1):
        happenings.append((visit.issued, 1, "ticket.issued", number))
        if visit.called is not None:
            happenings.append((visit.called, 2, "ticket.called", number))
        if visit.finished is not None:
            happenings.append((visit.finished, 3, "ticket.finished", number))
    happenings.sort()
    states = {"ticket.issued": "waiting", "ticket.called": "called", "ticket.finished": "done"}
    events = []
    for seq, (minute, _order, kind, number) in enumerate(happenings, start=1):
        at = start + timedelta(minutes=minute)
        counter = {"id": COUNTER_ID, "number": 1, "name": "Loket 1", "officer_id": OFFICER_ID}
        ticket = None
        if kind != "counter.state":
            visit = visits[number - 1]
            ticket = {
                "id": number,
                "number": f"A-{number:03d}",
                "service_id": SERVICE_ID,
                "service_day": day.isoformat(),
                "state": states[kind],
                "training": False,
                "transferred_from_id": None,
                "enqueued_at": (start + timedelta(minutes=visit.issued)).isoformat(),
                "call_count": 0 if kind == "ticket.issued" else 1,
            }
        events.append(
            {
                "seq": seq,
                "kind": kind,
                "at": at.isoformat(),
                "branch_id": 1,
                "ticket": ticket,
                "counter": None if kind == "ticket.issued" else counter,
                "user_id": None if kind == "ticket.issued" else OFFICER_ID,
                "device_id": None,
                "data": {},
            }
        )
    return events


def profile(name: str, zone: str = "Asia/Jakarta", target_minutes: int = 30) -> dict[str, Any]:
    return {
        "name": name,
        "timezone": zone,
        "services": [
            {
                "id": SERVICE_ID,
                "prefix": "A",
                "name": "Perekaman KTP-el",
                "target_wait_minutes": target_minutes,
            }
        ],
        "counters": [{"id": COUNTER_ID, "number": 1, "name": "Loket 1"}],
        "officers": [{"id": OFFICER_ID, "name": "Budi Santoso"}],
    }


def push_day(
    hub_url: str,
    key: str,
    events: list[dict[str, Any]],
    *,
    waiting: int,
    open_counters: int,
    name: str,
    after: int = 0,
) -> None:
    """Push ``events`` after sequence ``after`` with the live figures, and the set-up."""
    auth = {"Authorization": f"Bearer {key}"}
    batch = [
        {"seq": e["seq"], "kind": e["kind"], "at": e["at"], "payload": e}
        for e in events
        if e["seq"] > after
    ]
    last = events[-1]["seq"] if events else 0
    body = {
        "events": batch,
        "figures": {"seq": last, "waiting": waiting, "open_counters": open_counters},
    }
    r = requests.post(f"{hub_url}{HUB_API}/journal", json=body, headers=auth, timeout=30)
    assert r.status_code == 200, r.text
    r = requests.post(
        f"{hub_url}{HUB_API}/feed", json={"profile": profile(name)}, headers=auth, timeout=30
    )
    assert r.status_code == 200, r.text
