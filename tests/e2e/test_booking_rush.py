"""A rush on the last places: 1,000 simultaneous booking requests over HTTP for the last 10
places of a slot, against real server processes (one on SQLite; two sharing PostgreSQL).

Exactly 10 must be booked, every other request refused with ``slot_full`` (no other error), the
slot must show 0 places left, and the journal must hold exactly one ``booking.created`` per
booking.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.processes import (
    Backend,
    Client,
    ServerPool,
    ServerProcess,
    SseReader,
    branch_of,
    journal_head,
    run_setup,
    service_ids,
)
from tests.support.booking import nik

CAPACITY = 15
BOOKED_BEFORE = 5
RUSH = 1_000
EVERY_DAY = ", ".join(
    f'{day} = ["07:00", "17:00"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)
OFFICE = f"""
[[branch]]
code = "rush"
name = "Kantor Uji"
timezone = "Asia/Jakarta"
opening_hours = {{ {EVERY_DAY} }}

  [[branch.service]]
  prefix = "A"
  name = "Layanan A"
  booking = {{ enabled = true, slot_minutes = 30, capacity = {CAPACITY}, window_days = 3 }}

  [[branch.counter]]
  number = 1
  services = ["A"]

  [[branch.device]]
  kind = "kiosk"
  name = "Kiosk e2e"
"""


def _slot_tomorrow_10() -> str:
    zone = ZoneInfo("Asia/Jakarta")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, 0, tzinfo=zone).isoformat()


def _body(service_id: int, slot: str, serial: int) -> dict[str, object]:
    return {
        "service_id": service_id,
        "slot_start": slot,
        "nik": nik(serial),
        "name": "Warga Uji",
    }


async def _rush(urls: list[str], service_id: int, slot: str) -> list[tuple[int, str]]:
    """Send every request at once (one connection each) and collect (status, error code)."""
    limits = httpx.Limits(max_connections=RUSH, max_keepalive_connections=0)
    timeout = httpx.Timeout(120.0, pool=120.0)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        start = asyncio.Event()

        async def one(serial: int) -> tuple[int, str]:
            await start.wait()
            url = urls[serial % len(urls)] + "/api/v1/public/bookings"
            r = await client.post(url, json=_body(service_id, slot, serial))
            return r.status_code, (r.json().get("error", "") if r.status_code != 201 else "")

        tasks = [asyncio.create_task(one(serial)) for serial in range(100, 100 + RUSH)]
        await asyncio.sleep(0.1)  # every task is waiting on the same start
        start.set()
        return await asyncio.gather(*tasks)


def run_rush(pool: ServerPool, db_url: str, tmp_path: Path, processes: int) -> None:
    kiosk_token = run_setup(db_url, OFFICE, tmp_path)
    servers = []
    for i in range(processes):
        server = ServerProcess(
            db_url,
            pool.log_dir / f"rush{i}.log",
            name=f"rush{i}",
            # One test client stands for a thousand phones: lift the per-client limit.
            env={"COUNTER_APP_BOOKING_CLIENT_BURST": "100000"},
        )
        pool.started.append(server)
        servers.append(server.start())
    urls = [s.url for s in servers]
    kiosk = Client(urls[0], kiosk_token)
    branch_id = branch_of(kiosk)
    service_id = service_ids(kiosk, branch_id)["A"]
    slot = _slot_tomorrow_10()
    for serial in range(1, BOOKED_BEFORE + 1):
        r = httpx.post(f"{urls[0]}/api/v1/public/bookings", json=_body(service_id, slot, serial))
        assert r.status_code == 201, r.text

    outcomes = asyncio.run(_rush(urls, service_id, slot))

    tally = Counter(outcomes)
    assert tally == {(201, ""): CAPACITY - BOOKED_BEFORE, (409, "slot_full"): RUSH - 10}, tally
    day = slot[:10]
    for url in urls:
        r = httpx.get(f"{url}/api/v1/public/services/{service_id}/slots", params={"date": day})
        [found] = [
            s
            for s in r.json()["days"][0]["slots"]
            if s["start"].startswith(day) and s["booked"] > 0
        ]
        assert (found["booked"], found["remaining"]) == (CAPACITY, 0)
    head = journal_head(kiosk, branch_id)
    with SseReader(urls[-1], kiosk_token, branch_id, last_event_id=0) as stream:
        events = stream.until(head, timeout=60)
    assert Counter(e.kind for e in events)["booking.created"] == CAPACITY
    pool.assert_no_alarms()


@pytest.mark.slow
def test_last_places_rush(servers: ServerPool, backend: Backend, tmp_path: Path) -> None:
    run_rush(servers, backend.db_url, tmp_path, processes=backend.processes)
