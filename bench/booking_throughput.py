"""create_booking throughput under a rush, and no slot overbooked (budget: 500 requests/s on
SQLite, zero overbooking).

A real server process (``counter-app server``) on a fresh database with an office of four
services taking bookings: 10-minute slots of 2 places, every day 07:00–17:00, two weeks ahead.
C clients POST ``create_booking`` (the JSON API) back to back over keep-alive connections, each
request for a random slot out of S (so slots fill up and later requests are refused with
``slot_full``) and with a NIK of its own. The booking rate limits are raised for the run through
the server's settings (every client here shares one address). Afterwards the database is read
directly: no slot may hold more bookings than its capacity, the slot counters must equal the
bookings, and the bookings must equal the 201 answers.

    python -m bench.booking_throughput --db sqlite --clients 32 --seconds 15
    python -m bench.booking_throughput --db postgresql --workers 2
    python -m bench.booking_throughput --profile stacks.txt   # needs py-spy on PATH

``--profile`` records the server process with py-spy during the run (only the thread holding
the GIL, as collapsed stacks).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

import requests
from sqlalchemy import create_engine, func, select

from bench.harness import bench_server, database, machine, percentile
from bench.rawhttp import Connection
from counter_app.store.models import Booking, BookingSlot

CAPACITY = 2
PREFIXES = ("A", "B", "C", "D")
LIMITS = {
    "COUNTER_APP_BOOKING_CLIENT_PER_MINUTE": "6000000",
    "COUNTER_APP_BOOKING_CLIENT_BURST": "1000000",
    "COUNTER_APP_BOOKING_NIK_PER_HOUR": "1000000",
    "COUNTER_APP_BOOKING_NIK_BURST": "1000",
}


def office() -> str:
    hours = ", ".join(
        f'{day} = ["07:00", "17:00"]' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )
    lines = [
        "[[branch]]",
        'code = "bench"',
        'name = "Bench office"',
        'timezone = "Asia/Jakarta"',
        f"opening_hours = {{ {hours} }}",
    ]
    for prefix in PREFIXES:
        lines += [
            "[[branch.service]]",
            f'prefix = "{prefix}"',
            f'name = "Service {prefix}"',
            "booking = { enabled = true, slot_minutes = 10, "
            f"capacity = {CAPACITY}, window_days = 14 }}",
        ]
    lines += ["[[branch.device]]", 'kind = "kiosk"', 'name = "bench kiosk"']
    return "\n".join(lines) + "\n"


def nik(n: int) -> str:
    """The n-th distinct NIK of the right form (Jakarta Selatan; birth date and serial vary)."""
    born = date(1960, 1, 1) + timedelta(days=n // 9999)
    female = 40 if (n // 9999) % 2 else 0
    return f"317405{born.day + female:02d}{born.month:02d}{born.year % 100:02d}{n % 9999 + 1:04d}"


class Tally:
    def __init__(self) -> None:
        self.next_nik = 0
        self.latencies: list[float] = []
        self.answers: Counter[str] = Counter()
        self.errors: list[str] = []

    def take_nik(self) -> str:
        self.next_nik += 1
        return nik(self.next_nik)


async def client(
    host: str, port: int, slots: list[tuple[int, str]], until: float, tally: Tally
) -> None:
    conn = Connection(host, port)
    pick = random.Random(os.getpid() ^ id(tally) ^ id(conn))
    while time.monotonic() < until:
        service_id, start = pick.choice(slots)
        body = {
            "service_id": service_id,
            "slot_start": start,
            "nik": tally.take_nik(),
            "name": "Budi Santoso",
        }
        started = time.perf_counter()
        status, answer = await conn.request("POST", "/api/v1/public/bookings", body)
        tally.latencies.append(time.perf_counter() - started)
        if status == 201:
            tally.answers["accepted"] += 1
        elif status == 409 and json.loads(answer).get("error") == "slot_full":
            tally.answers["slot_full"] += 1
        else:
            tally.answers[f"other {status}"] += 1
            tally.errors.append(f"{status} {answer[:160]!r}")
    await conn.close()


def bookable_slots(url: str, service_ids: list[int], after: datetime) -> list[tuple[int, str]]:
    """Slots with places starting after ``after`` (none may start during the run)."""
    found = []
    for service_id in service_ids:
        days = requests.get(f"{url}/api/v1/public/services/{service_id}/slots", timeout=30)
        days.raise_for_status()
        for day in days.json()["days"]:
            found += [
                (service_id, s["start"])
                for s in day["slots"]
                if s["remaining"] > 0 and datetime.fromisoformat(s["start"]) > after
            ]
    return found


def check_the_database(db_url: str, accepted: int) -> list[str]:
    """What is wrong in the database after the rush (nothing, one hopes)."""
    engine = create_engine(db_url)
    problems = []
    with engine.connect() as conn:
        per_slot = conn.execute(
            select(Booking.service_id, Booking.slot_start, func.count())
            .where(Booking.state == "booked")
            .group_by(Booking.service_id, Booking.slot_start)
        ).all()
        counters = {
            (row.service_id, row.starts_at): row.booked
            for row in conn.execute(
                select(BookingSlot.service_id, BookingSlot.starts_at, BookingSlot.booked)
            )
        }
        total = conn.execute(select(func.count()).select_from(Booking)).scalar_one()
    engine.dispose()
    over = [(s, t, n) for s, t, n in per_slot if n > CAPACITY]
    if over:
        problems.append(f"{len(over)} slots overbooked, e.g. {over[:3]}")
    counted = {(s, t): n for s, t, n in per_slot}
    wrong = [(k, v, counted.get(k, 0)) for k, v in counters.items() if v != counted.get(k, 0)]
    if wrong:
        problems.append(f"{len(wrong)} slot counters differ from the bookings, e.g. {wrong[:3]}")
    if total != accepted:
        problems.append(f"{total} bookings stored, {accepted} answered 201")
    return problems


async def run(args: argparse.Namespace) -> int:
    with (
        database(args.db) as db_url,
        bench_server(db_url, 0, args.workers, office=office(), settings=LIMITS) as server,
    ):
        parsed = urlparse(server.url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
        headers = {"Authorization": f"Bearer {server.kiosk_token}"}
        services = requests.get(
            f"{server.url}/api/v1/branches/1/services", headers=headers, timeout=30
        ).json()
        after = datetime.now(UTC) + timedelta(seconds=args.seconds + 300)
        every = bookable_slots(server.url, [s["id"] for s in services], after)
        chosen = random.Random(1).sample(every, min(args.slots, len(every)))
        warm, chosen = chosen[:20], chosen[20:]
        # Warm up (connections, caches, first-request imports) on slots not measured.
        warm_tally = Tally()
        await client(host, port, warm, time.monotonic() + 1, warm_tally)
        tally = Tally()
        tally.next_nik = 1_000_000
        profiler = None
        if args.profile:
            # py-spy samples the server process during the measured run (collapsed stacks).
            command = ["py-spy", "record", "--gil", "--pid", str(server.pids[0]), "--format", "raw"]
            command += ["--duration", str(int(args.seconds)), "--output", args.profile]
            profiler = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        began = time.monotonic()
        until = began + args.seconds
        await asyncio.gather(
            *(client(host, port, chosen, until, tally) for _ in range(args.clients))
        )
        elapsed = time.monotonic() - began
        if profiler is not None:
            profiler.wait(60)
        ms = [x * 1000 for x in tally.latencies]
        accepted = warm_tally.answers["accepted"] + tally.answers["accepted"]
        problems = check_the_database(server.db_url, accepted)
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f} at the end")
        print(
            f"backend={args.db} workers={args.workers} clients={args.clients} "
            f"slots={len(chosen)} x {CAPACITY} places"
        )
        print(
            f"requests={len(ms)} in {elapsed:.1f}s = {len(ms) / elapsed:.0f} create_booking/s "
            f"({', '.join(f'{k} {v}' for k, v in sorted(tally.answers.items()))})"
        )
        print(f"latency ms: p50={percentile(ms, 0.5):.2f} p99={percentile(ms, 0.99):.2f}")
        for e in tally.errors[:5]:
            print("error:", e)
        print("database:", "; ".join(problems) if problems else "no slot overbooked")
        return 1 if problems or tally.errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--slots", type=int, default=3000, help="slots the requests aim at")
    parser.add_argument("--profile", help="write py-spy's collapsed stacks of the server here")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
