"""How fast an event reaches many Server-Sent Events subscribers.

S subscribers (one process, raw sockets) stream the branch's events; a driver issues E
tickets at a steady rate. For every (event, subscriber) we take receive time minus the event's
``at`` (the server clock when the transaction started, so this over-counts by the write itself).

    python -m bench.sse_fanout --db sqlite --subscribers 1000 --events 100
    python -m bench.sse_fanout --db postgresql --workers 2 --subscribers 1000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
import uuid
from datetime import datetime

from bench.harness import percentile, print_setup, served, server_options
from bench.rawhttp import Connection


async def subscriber(
    host: str,
    port: int,
    token: str,
    ready: asyncio.Event,
    counter: list[int],
    latencies: list[float],
    expected: int,
    done: asyncio.Event,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            f"GET /api/v1/branches/1/events HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    seen = 0
    counted = False
    try:
        while seen < expected:
            line = await reader.readline()
            if not line:
                return
            if not counted and line.startswith(b": connected"):
                counted = True
                counter[0] += 1
                if counter[0] >= counter[1]:
                    ready.set()
            if line.startswith(b"data: ") and b'"kind":"ticket.issued"' in line:
                received = time.time()
                # Only the timestamp is needed: slicing it out keeps this process's CPU for
                # reading sockets, so the numbers measure the server, not the JSON parser.
                start = line.index(b'"at":"') + 6
                stamp = line[start : line.index(b'"', start)].decode()
                latencies.append(received - datetime.fromisoformat(stamp).timestamp())
                seen += 1
    finally:
        writer.close()
        if seen >= expected:
            counter[2] += 1
            if counter[2] >= counter[1]:
                done.set()


async def run(args: argparse.Namespace) -> None:
    with served(args, 4) as server:
        host, port = server.host, server.port
        ready, done = asyncio.Event(), asyncio.Event()
        counter = [0, args.subscribers, 0]  # connected, wanted, finished
        latencies: list[float] = []
        tasks = []
        for _ in range(args.subscribers):
            tasks.append(
                asyncio.create_task(
                    subscriber(
                        host, port, server.kiosk_token, ready, counter, latencies, args.events, done
                    )
                )
            )
            await asyncio.sleep(0)
        await asyncio.wait_for(ready.wait(), 120)
        # This process stands in for a thousand separate screens: its own garbage collector
        # walking all their connections would pause every one of them at once and be
        # counted as the server's delay. Collect once now and not again while measuring.
        gc.collect()
        gc.freeze()
        gc.disable()
        driver = Connection(host, port)
        for _ in range(args.events):
            status, body = await driver.request(
                "POST",
                "/api/v1/tickets",
                {"service_id": 1},
                {
                    "Authorization": f"Bearer {server.kiosk_token}",
                    "Idempotency-Key": uuid.uuid4().hex,
                },
            )
            if status != 201:
                raise RuntimeError(f"issue failed: {status} {body[:200]!r}")
            await asyncio.sleep(1 / args.rate)
        try:
            await asyncio.wait_for(done.wait(), 60)
        finally:
            for task in tasks:
                task.cancel()
            await driver.close()
        ms = [x * 1000 for x in latencies]
        print_setup(args, f"subscribers={counter[0]} events={args.events} at {args.rate}/s")
        print(
            f"deliveries={len(ms)} (expected {args.subscribers * args.events}), "
            f"complete subscribers={counter[2]}"
        )
        print(
            f"event -> subscriber ms: p50={percentile(ms, 0.5):.1f} p99={percentile(ms, 0.99):.1f} "
            f"max={max(ms):.1f}"
        )


def main() -> None:
    parser = server_options(__doc__)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
