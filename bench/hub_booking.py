"""Hub booking rate: citizens booking from home through a hub of W processes on PostgreSQL
(budget: >= 500 bookings a second with 2 hub processes, and no slot ever overbooked).

A real hub (``counter-app hub --workers W``) on a fresh database, with ``--branches`` branches
whose booking set-up is stored as a branch's ``PUT /hub/v1/booking/setup`` would store it (3
services each, 10-minute slots from 07:00 to 17:00 every day, ``--capacity`` places, online
share 50 %). ``--clients`` keep-alive connections send ``POST /hub/v1/public/bookings`` as fast
as the hub answers, each with a fresh NIK, for a random service and a slot of the next days
(``--hot`` of them aim at one slot, so its online share fills up and refusals are exercised).
Then the database is checked: per slot, the active bookings never pass the online share and,
with the cancellations still holding a place, equal the slot's counter; each branch's feed is
numbered 1..n without a gap. The hub's CPU over the run is printed too (Linux `/proc`).

    python -m bench.hub_booking --seconds 20
    python -m bench.hub_booking --workers 2 --clients 64 --branches 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from bench.harness import database, free_port, machine, percentile
from bench.rawhttp import Connection
from counter_app.core.booking import day_slots, online_places
from counter_app.hub import booking, store
from counter_app.schemas.hub_booking import BookingSetup
from counter_app.store.db import normalise_url

ZONE = "Asia/Jakarta"
HOURS = {d: ["07:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _setup(code: str, capacity: int) -> BookingSetup:
    return BookingSetup.model_validate(
        {
            "code": code,
            "name": f"Kantor {code}",
            "timezone": ZONE,
            "opening_hours": HOURS,
            "online_share": 50,
            "services": [
                {
                    "id": n,
                    "prefix": p,
                    "name": f"Layanan {p}",
                    "position": n,
                    "slot_minutes": 10,
                    "capacity": capacity,
                    "window_days": 14,
                    "check_in_before": 30,
                    "check_in_after": 15,
                }
                for n, p in enumerate("ABC", start=1)
            ],
            "holidays": [],
        }
    )


def _nik(n: int) -> str:
    """A NIK of the right form, different for each n below 10^8 (region 31.74.05, a birth
    date from the serial's spread, a serial 0001..9999)."""
    day = 1 + (n // 9999) % 28
    month = 1 + (n // (9999 * 28)) % 12
    year = 60 + (n // (9999 * 28 * 12)) % 40
    return f"317405{day:02d}{month:02d}{year:02d}{1 + n % 9999:04d}"


def _slots(service_ids: list[int], days: int) -> list[tuple[int, str]]:
    today = datetime.now(ZoneInfo(ZONE)).date()
    starts = [
        s.start.isoformat()
        for d in range(1, days + 1)
        for s in day_slots(today + timedelta(days=d), HOURS, ZONE, 10)
    ]
    return [(service, start) for service in service_ids for start in starts]


async def _client(
    port: int,
    targets: list[tuple[int, str]],
    hot: tuple[int, str] | None,
    serials: Any,
    stop_at: float,
    outcomes: Counter[str],
    latencies: list[float],
) -> None:
    conn = Connection("127.0.0.1", port)
    await conn.open()
    try:
        while time.monotonic() < stop_at:
            service, slot = hot if hot is not None else random.choice(targets)
            body = {
                "service_id": service,
                "slot_start": slot,
                "nik": _nik(next(serials)),
                "name": "Warga Uji",
            }
            started = time.monotonic()
            status, raw = await conn.request("POST", "/hub/v1/public/bookings", body)
            latencies.append(time.monotonic() - started)
            if status == 201:
                outcomes["booked"] += 1
            else:
                try:
                    outcomes[str(orjson.loads(raw).get("error", status))] += 1
                except orjson.JSONDecodeError:
                    outcomes[f"{status}: {raw[:80]!r}"] += 1
    finally:
        await conn.close()


async def _run(port: int, targets: list[tuple[int, str]], args: argparse.Namespace) -> Any:
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    serials = iter(range(1, 10**8))
    stop_at = time.monotonic() + args.seconds
    started = time.monotonic()
    await asyncio.gather(
        *(
            _client(
                port,
                targets,
                targets[0] if n < args.hot else None,
                serials,
                stop_at,
                outcomes,
                latencies,
            )
            for n in range(args.clients)
        )
    )
    return outcomes, latencies, time.monotonic() - started


def _check(db_url: str, capacity: int) -> list[str]:
    problems = []
    engine = create_engine(normalise_url(db_url))
    places = online_places(capacity, 50)
    with engine.connect() as conn:
        over = conn.execute(
            text(
                "SELECT service_id, slot_start, count(*) FROM hub_bookings "
                "WHERE state = 'booked' GROUP BY service_id, slot_start HAVING count(*) > :p"
            ),
            {"p": places},
        ).all()
        problems += [f"overbooked: {row}" for row in over]
        mismatched = conn.execute(
            text(
                "SELECT s.service_id, s.starts_at, s.booked, count(b.id) FROM hub_booking_slots s "
                "LEFT JOIN hub_bookings b ON b.service_id = s.service_id "
                "AND b.slot_start = s.starts_at AND (b.state = 'booked' OR b.cancel_pending) "
                "GROUP BY s.service_id, s.starts_at, s.booked HAVING s.booked <> count(b.id)"
            )
        ).all()
        problems += [f"slot counter differs: {row}" for row in mismatched]
        gaps = conn.execute(
            text(
                "SELECT f.branch_id, f.feed_seq, count(c.seq), max(c.seq) "
                "FROM hub_booking_branches f LEFT JOIN hub_booking_changes c "
                "ON c.branch_id = f.branch_id GROUP BY f.branch_id, f.feed_seq "
                "HAVING count(c.seq) <> f.feed_seq OR coalesce(max(c.seq), 0) <> f.feed_seq"
            )
        ).all()
        problems += [f"feed not gap-free: {row}" for row in gaps]
    engine.dispose()
    return problems


def _session_cpu(sid: int) -> float:
    """CPU seconds (user + system) used so far by the processes of session ``sid``: the hub's
    master and its workers (Linux ``/proc``)."""
    total = 0
    for stat in os.listdir("/proc"):
        if not stat.isdigit():
            continue
        try:
            with open(f"/proc/{stat}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # fields after the name: state, ppid, pgrp, session, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--branches", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=20, help="places per slot (half online)")
    parser.add_argument("--days", type=int, default=7, help="days of slots aimed at")
    parser.add_argument("--clients", type=int, default=64, help="connections at once")
    parser.add_argument("--hot", type=int, default=2, help="connections aiming at one slot")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with database("postgresql") as db_url, tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(normalise_url(db_url))
        store.create_schema(engine)
        now = datetime.now(UTC)
        with sessionmaker(engine).begin() as session:
            for n in range(args.branches):
                branch_id, _ = store.add_branch(session, f"Cabang {n}", "Bench")
                booking.receive_setup(session, branch_id, _setup(f"c{n}", args.capacity), now)
            service_ids = [
                int(i) for i in session.scalars(text("SELECT id FROM hub_booking_services"))
            ]
        engine.dispose()
        port = free_port()
        env = {
            **os.environ,
            "COUNTER_APP_LOG_LEVEL": "warning",
            "COUNTER_APP_HUB_NIK_KEY_FILE": f"{tmp}/hub-nik-keys",
            # One load generator stands for many citizens: lift the per-address limit.
            "COUNTER_APP_HUB_BOOKING_CLIENT_BURST": "100000000",
        }
        hub = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "counter_app",
                "hub",
                "--db",
                db_url,
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/hub/v1/health", timeout=2).is_success:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            cpu_before = _session_cpu(hub.pid)
            outcomes, latencies, elapsed = asyncio.run(
                _run(port, _slots(service_ids, args.days), args)
            )
            hub_cpu = _session_cpu(hub.pid) - cpu_before
        finally:
            hub.terminate()
            hub.wait(30)
        problems = _check(db_url, args.capacity)
    load = os.getloadavg()
    booked = outcomes["booked"]
    print(f"{args.workers} hub processes, {args.clients} connections, {elapsed:.1f} s")
    print(f"outcomes: {dict(outcomes)}")
    print(
        f"bookings/s: {booked / elapsed:.0f}   requests/s: {sum(outcomes.values()) / elapsed:.0f}"
    )
    print(
        f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms"
    )
    print(
        f"hub CPU: {hub_cpu:.1f} s over its processes, "
        f"{hub_cpu * 1000 / max(1, sum(outcomes.values())):.2f} ms a request"
    )
    print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("check: " + ("no overbooking, counters equal, feeds gap-free" if not problems else ""))
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
