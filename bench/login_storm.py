"""An officer's call_next while the login route is flooded with wrong passwords.

Phase 1 measures one officer's call_next + finish loop alone; phase 2 the same loop while
``--storm`` wrong logins are in flight all the time (each a made-up username, so every one
costs a full argon2 check on the server: the worst case for CPU). The per-address throttle
is raised out of the way (``--keep-throttle`` leaves it on: then most of the storm is refused
at once with 429) so that what is measured is the bounded argon2 pool alone
(server.login_guard). The goal: the loaded p99 stays within 2x the unloaded p99.

    python bench/login_storm.py --storm 40 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from collections import Counter
from urllib.parse import urlparse

import requests

from bench.harness import bench_server, call_next, database, finish, login, machine, percentile
from bench.rawhttp import Connection


async def officer_loop(
    host: str, port: int, token: str, counter_id: int, seconds: float, think: float
) -> list[float]:
    conn = Connection(host, port)
    auth = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        took, status, body = await call_next(conn, auth, counter_id)
        latencies.append(took)
        if status != 200:
            raise RuntimeError(f"call_next {status} {body[:200]!r}")
        ticket = json.loads(body)["ticket"]
        if ticket is None:
            raise RuntimeError("the queue ran dry: issue more tickets (--tickets)")
        status, body = await finish(conn, auth, ticket["id"])
        if status != 200:
            raise RuntimeError(f"finish {status} {body[:200]!r}")
        await asyncio.sleep(think)
    await conn.close()
    return latencies


async def storm(
    host: str, port: int, stop: asyncio.Event, answers: Counter[int], pause: float
) -> None:
    conn = Connection(host, port)
    while not stop.is_set():
        status, _ = await conn.request(
            "POST",
            "/api/v1/auth/login",
            {"username": f"guess{uuid.uuid4().hex[:12]}", "password": "wrong-password"},
            {},
        )
        answers[status] += 1
        if status in (429, 503):
            await asyncio.sleep(pause)  # a refused guesser tries again after ``pause``
    await conn.close()


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


async def run(args: argparse.Namespace) -> None:
    settings = (
        {} if args.keep_throttle else {"COUNTER_APP_LOGIN_FREE_FAILURES_PER_ADDRESS": "1000000"}
    )
    with database("sqlite") as db_url, bench_server(db_url, 1, settings=settings) as server:
        parsed = urlparse(server.url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
        kiosk = {"Authorization": f"Bearer {server.kiosk_token}", "Idempotency-Key": ""}
        services = requests.get(
            server.url + "/api/v1/branches/1/services", headers=kiosk, timeout=30
        ).json()
        for i in range(args.tickets):
            kiosk["Idempotency-Key"] = uuid.uuid4().hex
            requests.post(
                server.url + "/api/v1/tickets",
                json={"service_id": services[i % len(services)]["id"]},
                headers=kiosk,
                timeout=30,
            ).raise_for_status()
        counter = requests.get(
            server.url + "/api/v1/branches/1/counters", headers=kiosk, timeout=30
        ).json()[0]
        token = login(server.url, "officer1")
        requests.post(
            f"{server.url}/api/v1/counters/{counter['id']}/state",
            json={"state": "open"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).raise_for_status()
        think = args.think_ms / 1000
        print(f"machine: {machine()}")
        print(
            f"storm={args.storm} keep_throttle={args.keep_throttle} "
            f"refused_pause_ms={args.refused_pause_ms} think_ms={args.think_ms}"
        )
        print(f"load average before: {load_average()}")
        alone = await officer_loop(host, port, token, counter["id"], args.seconds, think)
        stop = asyncio.Event()
        answers: Counter[int] = Counter()
        storms = [
            asyncio.create_task(storm(host, port, stop, answers, args.refused_pause_ms / 1000))
            for _ in range(args.storm)
        ]
        await asyncio.sleep(1.0)  # let the storm fill the pool and its queue
        loaded = await officer_loop(host, port, token, counter["id"], args.seconds, think)
        load = load_average()
        stop.set()
        await asyncio.gather(*storms)
        for name, values in (("alone", alone), (f"{args.storm} wrong logins in flight", loaded)):
            ms = [v * 1000 for v in values]
            print(
                f"call_next {name}: n={len(ms)} p50={percentile(ms, 0.5):.1f} "
                f"p95={percentile(ms, 0.95):.1f} p99={percentile(ms, 0.99):.1f} "
                f"max={max(ms):.1f} ms"
            )
        ratio = percentile(loaded, 0.99) / percentile(alone, 0.99)
        print(f"p99 loaded / alone = {ratio:.2f} (goal: at most 2)")
        print(f"login answers during the storm: {dict(sorted(answers.items()))}")
        print(f"load average during: {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storm", type=int, default=40, help="wrong logins in flight")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--think-ms", type=float, default=100, help="pause between calls")
    parser.add_argument("--tickets", type=int, default=400)
    parser.add_argument("--keep-throttle", action="store_true")
    parser.add_argument(
        "--refused-pause-ms",
        type=float,
        default=50,
        help="a refused storm client waits this long before its next try (1000: Retry-After)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
