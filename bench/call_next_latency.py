"""call_next latency with many counters working at once.

Each of N counters (one officer each) loops: call next, finish, then pause for a random
"service" time (exponential, mean --think-ms). With --think-ms 0 the counters hammer the server
back to back (saturation: the latency then is mostly queueing behind the other counters).

    python bench/call_next_latency.py --db sqlite --counters 50 --think-ms 500 --seconds 20
    python bench/call_next_latency.py --db postgresql --workers 2 --counters 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid

import requests

from bench.harness import (
    call_next,
    finish,
    login,
    percentile,
    print_setup,
    process_cpu,
    served,
    server_options,
)
from bench.rawhttp import Connection


async def issue_tickets(
    host: str, port: int, token: str, count: int, service_ids: list[int]
) -> None:
    async def worker(share: int) -> None:
        conn = Connection(host, port)
        for i in range(share):
            status, body = await conn.request(
                "POST",
                "/api/v1/tickets",
                {"service_id": service_ids[i % len(service_ids)]},
                {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
            )
            if status != 201:
                raise RuntimeError(f"issue failed {status} {body[:200]!r}")
        await conn.close()

    per = count // 8
    await asyncio.gather(*(worker(per) for _ in range(8)))


async def counter_loop(
    host: str,
    port: int,
    token: str,
    counter_id: int,
    seconds: float,
    think: float,
    opened: asyncio.Barrier,
    began: list[float],
    latencies: list[float],
    errors: list[str],
) -> None:
    conn = Connection(host, port)
    auth = {"Authorization": f"Bearer {token}"}
    status, body = await conn.request(
        "POST",
        f"/api/v1/counters/{counter_id}/state",
        {"state": "open"},
        {**auth, "Idempotency-Key": uuid.uuid4().hex},
    )
    # The office opens first (all counters at once: a burst that is not what is measured),
    # then the counters start working at random moments within one think time.
    if await opened.wait() == 0:
        began.append(time.monotonic())
    if status != 200:
        errors.append(f"open {status} {body[:100]!r}")
        return
    until = time.monotonic() + seconds
    await asyncio.sleep(random.random() * max(think, 0.01))
    while time.monotonic() < until:
        took, status, body = await call_next(conn, auth, counter_id)
        latencies.append(took)
        if status != 200:
            errors.append(f"call {status} {body[:100]!r}")
            break
        ticket = json.loads(body)["ticket"]
        if ticket is None:
            break
        status, body = await finish(conn, auth, ticket["id"])
        if status != 200:
            errors.append(f"finish {status} {body[:100]!r}")
            break
        if think:
            await asyncio.sleep(random.expovariate(1 / think))
    await conn.close()


async def run(args: argparse.Namespace) -> None:
    with served(args, args.counters) as server:
        host, port = server.host, server.port
        kiosk = {"Authorization": f"Bearer {server.kiosk_token}"}
        services = requests.get(
            server.url + "/api/v1/branches/1/services", headers=kiosk, timeout=30
        ).json()
        await issue_tickets(
            host, port, server.kiosk_token, args.tickets, [s["id"] for s in services]
        )
        counters = requests.get(
            server.url + "/api/v1/branches/1/counters", headers=kiosk, timeout=30
        ).json()
        tokens = [login(server.url, f"officer{c['number']}") for c in counters]
        latencies: list[float] = []
        errors: list[str] = []
        opened = asyncio.Barrier(len(counters))
        began: list[float] = []
        cpu_before = process_cpu(server.pids)
        await asyncio.gather(
            *(
                counter_loop(
                    host,
                    port,
                    tok,
                    c["id"],
                    args.seconds,
                    args.think_ms / 1000,
                    opened,
                    began,
                    latencies,
                    errors,
                )
                for tok, c in zip(tokens, counters, strict=True)
            )
        )
        elapsed = time.monotonic() - began[0]
        server_cpu = process_cpu(server.pids) - cpu_before
        ms = [x * 1000 for x in latencies]
        print_setup(
            args, f"counters={args.counters} think_ms={args.think_ms} tickets={args.tickets}"
        )
        print(
            f"calls={len(ms)} in {elapsed:.1f}s ({len(ms) / elapsed:.0f} call_next/s, "
            f"as many finishes), errors={len(errors)}"
        )
        print(
            f"call_next latency ms: p50={percentile(ms, 0.5):.2f} p95={percentile(ms, 0.95):.2f} "
            f"p99={percentile(ms, 0.99):.2f} max={max(ms):.2f}"
        )
        print(
            f"server CPU: {server_cpu:.2f} s, {server_cpu * 1000 / max(len(ms), 1):.2f} ms "
            "per call_next and its finish (the counters' opening included)"
        )
        for e in errors[:5]:
            print("error:", e)


def main() -> None:
    parser = server_options(__doc__)
    parser.add_argument("--counters", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=6000)
    parser.add_argument("--think-ms", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
