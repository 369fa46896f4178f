"""An officer's ``call_next`` latency while many anonymous public status streams are open.

Phase one: N counters call and finish tickets of one service (mean think time --think-ms)
with no public stream open. Phase two: --subscribers streams watch one waiting ticket of
that service (``/api/v1/public/tickets/{code}/events``, as 1,000 phones on one status page),
and the counters work again. Every call changes the service's public status, so every event
concerns every stream. Budget: phase two's p99 within 2x of phase one's.

    python bench/public_status_load.py --subscribers 1000 --counters 4 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import time
import uuid
from urllib.parse import urlparse

import requests

from bench.call_next_latency import issue_tickets
from bench.harness import (
    bench_server,
    call_next,
    database,
    finish,
    login,
    machine,
    percentile,
    speed_probe,
)
from bench.rawhttp import Connection


async def watcher(host: str, port: int, code: str, opened: list[int], stop: asyncio.Event) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /api/v1/public/tickets/{code}/events HTTP/1.1\r\nHost: {host}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"stream refused: {status!r}")
    opened[0] += 1
    try:
        while not stop.is_set():
            if not await reader.read(65536):
                return
    finally:
        writer.close()


async def work(
    host: str, port: int, officers: list[tuple[str, int]], seconds: float, think: float
) -> list[float]:
    latencies: list[float] = []

    async def counter(token: str, counter_id: int) -> None:
        conn = Connection(host, port)
        auth = {"Authorization": f"Bearer {token}"}
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            took, status, body = await call_next(conn, auth, counter_id)
            latencies.append(took)
            ticket = json.loads(body)["ticket"] if status == 200 else None
            if ticket is None:
                raise RuntimeError(f"call_next: {status} {body[:200]!r}")
            await finish(conn, auth, ticket["id"])
            await asyncio.sleep(think)
        await conn.close()

    await asyncio.gather(*(counter(token, cid) for token, cid in officers))
    return latencies


def summary(name: str, latencies: list[float]) -> float:
    ms = [x * 1000 for x in latencies]
    p99 = percentile(ms, 0.99)
    print(f"{name}: calls={len(ms)} p50={percentile(ms, 0.5):.1f} ms p99={p99:.1f} ms")
    return p99


async def run(args: argparse.Namespace) -> None:
    many = str(args.subscribers * 2)
    settings = {
        # All the phones are this one process: lift the per-address limits for the test.
        "COUNTER_APP_PUBLIC_STREAMS_PER_ADDRESS": many,
        "COUNTER_APP_PUBLIC_BURST": many,
        "COUNTER_APP_PUBLIC_PER_SECOND": many,
    }
    with (
        database("sqlite") as db_url,
        bench_server(db_url, args.counters, settings=settings) as server,
    ):
        parsed = urlparse(server.url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
        kiosk = {"Authorization": f"Bearer {server.kiosk_token}"}
        services = requests.get(
            server.url + "/api/v1/branches/1/services", headers=kiosk, timeout=30
        ).json()
        first = services[0]["id"]
        await issue_tickets(host, port, server.kiosk_token, args.tickets, [first])
        # The watched ticket: issued last, so it waits through both phases.
        watched = requests.post(
            server.url + "/api/v1/tickets",
            json={"service_id": first},
            headers={**kiosk, "Idempotency-Key": uuid.uuid4().hex},
            timeout=30,
        ).json()["code"]
        counters = requests.get(
            server.url + "/api/v1/branches/1/counters", headers=kiosk, timeout=30
        ).json()
        officers = [(login(server.url, f"officer{c['number']}"), c["id"]) for c in counters]
        for token, counter_id in officers:
            requests.post(
                f"{server.url}/api/v1/counters/{counter_id}/state",
                json={"state": "open"},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                timeout=30,
            ).raise_for_status()
        think = args.think_ms / 1000
        quiet = await work(host, port, officers, args.seconds, think)
        opened = [0]
        stop = asyncio.Event()
        tasks = []
        for _ in range(args.subscribers):
            tasks.append(asyncio.create_task(watcher(host, port, watched, opened, stop)))
            if len(tasks) % 50 == 0:
                await asyncio.sleep(0.05)
        deadline = time.monotonic() + 120
        while opened[0] < args.subscribers:
            if time.monotonic() > deadline or any(t.done() for t in tasks):
                raise RuntimeError(f"only {opened[0]} streams opened")
            await asyncio.sleep(0.1)
        gc.collect()
        gc.freeze()
        gc.disable()
        loaded = await work(host, port, officers, args.seconds, think)
        stop.set()
        for task in tasks:
            task.cancel()
        print(f"machine: {machine()}")
        print(
            f"counters={len(officers)} think_ms={args.think_ms} seconds={args.seconds} "
            f"subscribers={opened[0]} on one code"
        )
        base = summary("no public streams", quiet)
        under = summary(f"{opened[0]} public streams", loaded)
        print(f"ratio p99: {under / base:.2f} (budget <= 2)")
        print(f"speed probe: {speed_probe():.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--counters", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--think-ms", type=float, default=200.0)
    parser.add_argument("--tickets", type=int, default=800)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
