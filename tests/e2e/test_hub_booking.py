"""Booking from home through the hub, end to end: a real hub (two processes, PostgreSQL) and a
real branch server (SQLite) linked to it (docs/HUB.md "Booking from home").

Book on the hub; the branch pulls the booking and the kiosk checks it in with the hub
stopped; repeated and overlapping pulls create nothing twice; the hub's online share and the
branch's own share of a slot never overbook each other; a cancellation on the hub reaches the
branch; the hub's pages say when the office is away and show the last known position with its
age.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import requests

from counter_app.server.hub_pull import HubPuller
from counter_app.store.db import Database
from tests.e2e.hub_processes import HUB_API, HubProcess, add_branch, hub_cli, wait_for
from tests.e2e.processes import (
    Client,
    ServerPool,
    ServerProcess,
    branch_of,
    run_setup,
    service_ids,
)
from tests.support.booking import nik
from tests.support.databases import fresh_pg_database

pytestmark = [pytest.mark.postgres]

CAPACITY = 6  # online share 50 %: 3 places booked on the hub, 3 at the office
ZONE = ZoneInfo("Asia/Jakarta")
EVERY_DAY = ", ".join(
    f'{day} = ["00:00", "23:50"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)
OFFICE = f"""
[[branch]]
code = "cibeber"
name = "Kecamatan Cibeber"
timezone = "Asia/Jakarta"
opening_hours = {{ {EVERY_DAY} }}

  [[branch.service]]
  prefix = "A"
  name = "Layanan A"
  booking = {{ enabled = true, slot_minutes = 10, capacity = {CAPACITY}, window_days = 2 }}

  [[branch.counter]]
  number = 1
  services = ["A"]

  [[branch.user]]
  username = "supervisor"
  role = "supervisor"
  password_env = "COUNTER_APP_E2E_PASSWORD"

  [[branch.device]]
  kind = "kiosk"
  name = "Kiosk e2e"
"""
AWAY_SECONDS = 4


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    with fresh_pg_database() as url:
        done = hub_cli("init", "--db", url)
        assert done.returncode == 0, done.stderr
        env = {
            "COUNTER_APP_HUB_NIK_KEY_FILE": str(tmp_path / "hub-nik-keys"),
            "COUNTER_APP_HUB_BRANCH_AWAY_SECONDS": str(AWAY_SECONDS),
            # One test client stands for many citizens: lift the per-address limit.
            "COUNTER_APP_HUB_BOOKING_CLIENT_BURST": "100000",
        }
        process = HubProcess(url, tmp_path / "hub.log", workers=2, env=env)
        try:
            yield process.start()
        finally:
            process.stop()


class Office:
    """The branch server, linked to the hub."""

    def __init__(self, pool: ServerPool, tmp: Path, hub: HubProcess) -> None:
        self.dir = tmp / "office"
        self.dir.mkdir()
        self.path = self.dir / "office.sqlite3"
        self.db_url = f"sqlite:///{self.path}"
        self.key = add_branch(hub.db_url, "Kecamatan Cibeber", region="Cianjur")
        self.hub = hub
        self.kiosk_token = run_setup(self.db_url, OFFICE, self.dir)
        env = {
            "COUNTER_APP_HUB_URL": hub.url,
            "COUNTER_APP_HUB_KEY": self.key,
            "COUNTER_APP_HUB_PULL_SECONDS": "0.3",
            "COUNTER_APP_BOOKING_CLIENT_BURST": "100000",
        }
        self.server = ServerProcess(
            self.db_url, pool.log_dir / "office.log", name="office", env=env
        )
        pool.started.append(self.server)

    def start(self) -> Office:
        self.server.start()
        self.kiosk = Client(self.server.url, self.kiosk_token)
        return self

    def bookings(self) -> list[tuple[str, str, int | None]]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT code, state, hub_booking_id FROM bookings ORDER BY id"
            ).fetchall()
        return [(str(c), str(s), h) for c, s, h in rows]

    def has(self, code: str, state: str = "booked") -> bool:
        return any(c == code and s == state for c, s, _ in self.bookings())


def _hub_service(hub: HubProcess) -> int:
    """The hub's id of the office's service, once the office has sent its set-up."""
    found: list[int] = []

    def offered() -> bool:
        r = requests.get(f"{hub.url}/pesan/cibeber", timeout=10)
        if r.status_code != 200 or "/pesan/layanan/" not in r.text:
            return False
        found.append(int(r.text.split("/pesan/layanan/")[1].split('"')[0]))
        return True

    wait_for("the office's booking set-up at the hub", offered, timeout=20)
    return found[0]


def _next_slot(minutes_ahead: int = 0) -> str:
    """The start of a 10-minute slot a little ahead (check-in opens 30 minutes before)."""
    # At least two minutes ahead: a slot can be booked only until it starts.
    now = datetime.now(ZONE) + timedelta(minutes=minutes_ahead + 2)
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=10 - now.minute % 10)
    if (start.hour, start.minute) >= (23, 40) or (start.hour, start.minute) < (0, 10):
        pytest.skip("too close to the office's closing at 23:50 (local time) for a slot")
    return start.isoformat()


def _book(url: str, service_id: int, slot: str, serial: int) -> requests.Response:
    body = {"service_id": service_id, "slot_start": slot, "nik": nik(serial), "name": "Warga Uji"}
    return requests.post(url, json=body, timeout=30)


def _hub_book(hub: HubProcess, service_id: int, slot: str, serial: int) -> dict[str, Any]:
    r = _book(f"{hub.url}{HUB_API}/public/bookings", service_id, slot, serial)
    assert r.status_code == 201, r.text
    booked: dict[str, Any] = r.json()
    return booked


@pytest.mark.slow
def test_book_on_hub_pull_check_in_offline_cancel(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    office = Office(servers, tmp_path, hub).start()
    service = _hub_service(hub)
    slot = _next_slot()
    first = _hub_book(hub, service, slot, 1)
    later = _hub_book(hub, service, slot, 2)
    wait_for(
        "the office pulled both",
        lambda: office.has(first["code"]) and office.has(later["code"]),
        20,
    )
    # The hub's booking page: the office has it; nothing to warn of.
    page = requests.get(f"{hub.url}/pesan/kode/{first['code']}", timeout=10)
    assert page.status_code == 200 and first["code"] in page.text
    assert "belum tersambung" not in page.text
    # A cancellation on the hub reaches the office.
    r = requests.post(
        f"{hub.url}{HUB_API}/public/bookings/{later['code']}/cancel",
        json={"cancel_token": later["cancel_token"]},
        timeout=10,
    )
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text
    wait_for("the cancellation at the office", lambda: office.has(later["code"], "cancelled"), 20)

    hub.stop()  # the link is down: the kiosk checks in what the office already has
    r = office.kiosk.post("/bookings/check-in", {"code": first["code"]})
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["source"] == "online" and ticket["state"] == "waiting"
    r = office.kiosk.post("/bookings/check-in", {"code": later["code"]})
    assert r.status_code == 409 and r.json()["error"] == "booking_cancelled"

    # A booking made while the office cannot reach the hub arrives once it can.
    office.server.stop()
    hub.start()
    third = _hub_book(hub, service, slot, 3)
    time.sleep(AWAY_SECONDS + 1)
    page = requests.get(f"{hub.url}/pesan/kode/{third['code']}", timeout=10)
    assert "Kantor belum tersambung sejak" in page.text, page.text
    office.start()
    wait_for("the booking made meanwhile", lambda: office.has(third["code"]), 20)
    page = requests.get(f"{hub.url}/pesan/kode/{third['code']}", timeout=10)
    assert "belum tersambung" not in page.text
    # Every hub booking is at the office exactly once, with its hub id.
    hub_ids = Counter(h for _, _, h in office.bookings() if h is not None)
    assert sorted(hub_ids.values()) == [1, 1, 1]
    servers.assert_no_alarms()


@pytest.mark.slow
def test_repeated_and_overlapping_pulls_create_nothing_twice(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    office = Office(servers, tmp_path, hub).start()
    service = _hub_service(hub)
    codes = [_hub_book(hub, service, _next_slot(10 * (n // 3)), 10 + n)["code"] for n in range(6)]
    wait_for("all pulled", lambda: all(office.has(c) for c in codes), 20)
    # Rewind the office's cursor and pull again, from two threads at once, while the
    # server's own puller runs too: every change arrives three times over.
    with sqlite3.connect(office.path) as conn:
        conn.execute("UPDATE hub_links SET pull_cursor = 0")
    db = Database(office.db_url)
    pullers = [HubPuller(db, hub.url, office.key, online_share=50) for _ in range(2)]
    try:
        threads = [threading.Thread(target=p.pull_once) for p in pullers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert all(not t.is_alive() for t in threads)
        assert [p.pulled for p in pullers] == [0, 0]
    finally:
        for puller in pullers:
            puller.close()
        db.dispose()
    rows = office.bookings()
    assert sorted(c for c, _, _ in rows) == sorted(codes)
    assert len({h for _, _, h in rows}) == len(codes)


async def _rush(
    url: str, service_id: int, slot: str, first_serial: int, count: int
) -> Counter[Any]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(60.0)) as client:
        start = asyncio.Event()

        async def one(serial: int) -> tuple[int, str]:
            await start.wait()
            body = {
                "service_id": service_id,
                "slot_start": slot,
                "nik": nik(serial),
                "name": "Warga",
            }
            r = await client.post(url, json=body)
            return r.status_code, (r.json().get("error", "") if r.status_code != 201 else "")

        tasks = [asyncio.create_task(one(s)) for s in range(first_serial, first_serial + count)]
        await asyncio.sleep(0.1)
        start.set()
        return Counter(await asyncio.gather(*tasks))


@pytest.mark.slow
def test_online_and_walk_in_shares_never_overbook_each_other(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    office = Office(servers, tmp_path, hub).start()
    hub_service = _hub_service(hub)
    slot = _next_slot(60)
    # 40 at once on the hub (two processes): exactly its share, 3.
    online = asyncio.run(_rush(f"{hub.url}{HUB_API}/public/bookings", hub_service, slot, 100, 40))
    assert online == {(201, ""): 3, (409, "slot_full"): 37}, online
    # 40 at once at the office, its own API: exactly the rest, 3, though the 3 online
    # bookings have been pulled in meanwhile.
    wait_for("the online ones pulled", lambda: len(office.bookings()) == 3, 20)
    local_service = service_ids(office.kiosk, branch_of(office.kiosk))["A"]
    here = asyncio.run(
        _rush(f"{office.server.url}/api/v1/public/bookings", local_service, slot, 200, 40)
    )
    assert here == {(201, ""): 3, (409, "slot_full"): 37}, here
    rows = office.bookings()
    assert len(rows) == CAPACITY
    assert sum(1 for _, _, h in rows if h is not None) == 3
    # The office's page offers its own share only; the hub's its own.
    slots = requests.get(
        f"{office.server.url}/api/v1/public/services/{local_service}/slots", timeout=10
    ).json()
    shown = [s for d in slots["days"] for s in d["slots"] if s["start"] == _utc(slot)]
    assert shown and shown[0]["capacity"] == 3 and shown[0]["remaining"] == 0


def _utc(slot: str) -> str:
    return datetime.fromisoformat(slot).astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.slow
def test_hub_status_page_follows_the_journal_and_says_how_old(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    office = Office(servers, tmp_path, hub).start()
    service = _hub_service(hub)
    slot = _next_slot()
    # Two walk-in tickets first, then the online citizen checks in: two ahead.
    walk_in = service_ids(office.kiosk, branch_of(office.kiosk))["A"]
    for _ in range(2):
        assert office.kiosk.post("/tickets", {"service_id": walk_in}).status_code == 201
    mine = _hub_book(hub, service, slot, 1)
    wait_for("pulled", lambda: office.has(mine["code"]), 20)
    r = office.kiosk.post("/bookings/check-in", {"code": mine["code"]})
    assert r.status_code == 201, r.text
    ticket = r.json()["code"]

    def page_shows_ticket() -> bool:
        page = requests.get(f"{hub.url}/pesan/kode/{mine['code']}", timeout=10)
        return f"/t/{ticket}" in page.text

    wait_for("the booking page links the ticket", page_shows_ticket, 20)
    page = requests.get(f"{hub.url}/t/{ticket}", timeout=10)
    assert page.status_code == 200
    assert '<dd id="ahead">2 orang</dd>' in page.text, page.text
    assert "belum tersambung" not in page.text
    assert "Perkiraan waktu tunggu hanya" in page.text  # no estimate made up on the hub
    office.server.stop()  # the office goes away: the page says so, and how old it is
    time.sleep(AWAY_SECONDS + 1)
    page = requests.get(f"{hub.url}/t/{ticket}", timeout=10)
    assert "Kantor belum tersambung sejak" in page.text, page.text
    assert '<dd id="ahead">2 orang</dd>' in page.text  # the last known position
    checked_in = datetime.fromisoformat(r.json()["issued_at"]).astimezone(ZONE)
    assert f'<dd id="as-of">{checked_in:%H.%M} WIB (0 menit yang lalu)' in page.text or (
        f'<dd id="as-of">{checked_in:%H.%M} WIB (1 menit yang lalu)' in page.text
    ), page.text


def _form_token(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def test_citizen_books_and_cancels_through_the_hubs_pages(hub: HubProcess) -> None:
    """The branch's templates, served by the hub: office → service → day → slot, the
    booking's page with its code, a cancel that asks to confirm; a wrong form token refused."""
    key = add_branch(hub.db_url, "Kecamatan Cibeber")
    setup = {
        "code": "cibeber",
        "name": "Kecamatan Cibeber",
        "timezone": "Asia/Jakarta",
        "opening_hours": {
            "mon": ["08:00", "16:00"],
            "tue": ["08:00", "16:00"],
            "wed": ["08:00", "16:00"],
            "thu": ["08:00", "16:00"],
            "fri": ["08:00", "16:00"],
            "sat": ["08:00", "12:00"],
            "sun": ["08:00", "12:00"],
        },
        "online_share": 50,
        "services": [
            {
                "id": 3,
                "prefix": "A",
                "name": "Layanan A",
                "slot_minutes": 30,
                "capacity": 4,
                "window_days": 3,
                "check_in_before": 30,
                "check_in_after": 15,
            }
        ],
        "holidays": [],
    }
    r = requests.put(
        f"{hub.url}{HUB_API}/booking/setup",
        json=setup,
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    browser = requests.Session()
    start = browser.get(f"{hub.url}/pesan", timeout=10)  # one office: straight to it
    assert start.status_code == 200 and "Layanan A" in start.text
    service = int(start.text.split("/pesan/layanan/")[1].split('"')[0])
    days = browser.get(f"{hub.url}/pesan/layanan/{service}", timeout=10)
    tomorrow = (datetime.now(ZONE).date() + timedelta(days=1)).isoformat()
    assert f"/pesan/layanan/{service}/{tomorrow}" in days.text
    slots = browser.get(f"{hub.url}/pesan/layanan/{service}/{tomorrow}", timeout=10)
    assert "sisa 2 dari 2" in slots.text  # the online share of 4 places
    slot = slots.text.split('name="slot" value="')[1].split('"')[0]
    form = {"csrf_token": _form_token(slots.text), "slot": slot, "nik": nik(1), "name": "Budi"}
    forged = requests.post(f"{hub.url}/pesan/layanan/{service}/{tomorrow}", data=form, timeout=10)
    assert forged.status_code == 403  # another browser's token: refused on the page
    booked = browser.post(f"{hub.url}/pesan/layanan/{service}/{tomorrow}", data=form, timeout=10)
    assert booked.status_code == 200 and "/pesan/kode/" in booked.url
    code = booked.url.rsplit("/", 1)[1]
    assert code in booked.text and "Terpesan" in booked.text
    assert 'id="booking-name">B***<' in booked.text  # the browser that booked
    ask = browser.post(
        f"{hub.url}/pesan/kode/{code}/batal",
        data={"csrf_token": _form_token(booked.text)},
        timeout=10,
    )
    assert "Yakin membatalkan" in ask.text
    done = browser.post(
        f"{hub.url}/pesan/kode/{code}/batal",
        data={"csrf_token": _form_token(booked.text), "confirmed": "1"},
        timeout=10,
    )
    assert done.status_code == 200 and "Dibatalkan" in done.text


def test_hub_limits_bookings_per_address(tmp_path: Path) -> None:
    """With the default limits (10 a minute, burst 10), the 11th booking request from one
    address is refused with rate_limited, before anything is stored."""
    with fresh_pg_database() as url:
        assert hub_cli("init", "--db", url).returncode == 0
        process = HubProcess(url, tmp_path / "hub.log")
        try:
            process.start()
            answers = [
                _book(f"{process.url}{HUB_API}/public/bookings", 999, "2030-01-01T03:00:00Z", n)
                for n in range(1, 12)
            ]
        finally:
            process.stop()
    assert [a.status_code for a in answers] == [404] * 10 + [429]
    assert answers[-1].json()["error"] == "rate_limited"


def _capacity(url: str, slot: str) -> int | None:
    """The slot's places as ``url`` lists them; ``None`` when it lists no slots (the hub with
    share 0 no longer offers the service; a server just restarted may not answer yet)."""
    answer = requests.get(url, timeout=10)
    if answer.status_code != 200:
        return None
    slots = answer.json()
    shown = [s for d in slots["days"] for s in d["slots"] if s["start"] == _utc(slot)]
    return int(shown[0]["capacity"]) if shown else None


@pytest.mark.slow
def test_a_changed_online_share_reaches_both_sides(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    office = Office(servers, tmp_path, hub).start()
    hub_service = _hub_service(hub)
    local = service_ids(office.kiosk, branch_of(office.kiosk))["A"]
    slot = _next_slot(120)
    hub_slots = f"{hub.url}{HUB_API}/public/services/{hub_service}/slots"

    def office_slots() -> str:  # the office's port changes with each start
        return f"{office.server.url}/api/v1/public/services/{local}/slots"

    assert (_capacity(hub_slots, slot), _capacity(office_slots(), slot)) == (3, 3)
    # One of the office's own places is booked: the whole slot at the hub would overbook it.
    own = _book(f"{office.server.url}/api/v1/public/bookings", local, slot, 90)
    assert own.status_code == 201, own.text
    for share, expected in (("100", (5, 0)), ("0", (None, 6))):
        office.server.stop()
        office.server._env["COUNTER_APP_HUB_ONLINE_SHARE"] = share
        office.start()

        def both(expected: tuple[int | None, int] = expected) -> bool:
            return (_capacity(hub_slots, slot), _capacity(office_slots(), slot)) == expected

        wait_for(f"share {share} on both sides", both, timeout=30)
