"""issue_ticket throughput: C kiosks issuing tickets back to back for a while.

python -m bench.issue_throughput --db sqlite --clients 16 --seconds 15
python -m bench.issue_throughput --db postgresql --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import requests

from bench.harness import percentile, print_setup, served, server_options
from bench.rawhttp import Connection


async def kiosk(
    host: str,
    port: int,
    token: str,
    service_ids: list[int],
    until: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    conn = Connection(host, port)
    i = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        status, body = await conn.request(
            "POST",
            "/api/v1/tickets",
            {"service_id": service_ids[i % len(service_ids)]},
            {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
        )
        latencies.append(time.perf_counter() - started)
        if status != 201:
            errors.append(f"{status} {body[:120]!r}")
        i += 1
    await conn.close()


async def run(args: argparse.Namespace) -> None:
    with served(args, 4) as server:
        host, port = server.host, server.port
        headers = {"Authorization": f"Bearer {server.kiosk_token}"}
        services = requests.get(
            server.url + "/api/v1/branches/1/services", headers=headers, timeout=30
        ).json()
        ids = [s["id"] for s in services]
        # Warm up (connections, caches, first-request imports) before the measured run.
        await kiosk(host, port, server.kiosk_token, ids, time.monotonic() + 1, [], [])
        latencies: list[float] = []
        errors: list[str] = []
        began = time.monotonic()
        until = began + args.seconds
        await asyncio.gather(
            *(
                kiosk(host, port, server.kiosk_token, ids, until, latencies, errors)
                for _ in range(args.clients)
            )
        )
        elapsed = time.monotonic() - began
        ms = [x * 1000 for x in latencies]
        print_setup(args, f"clients={args.clients}")
        print(
            f"issued={len(ms)} in {elapsed:.1f}s = {len(ms) / elapsed:.0f} issue_ticket/s, "
            f"errors={len(errors)}"
        )
        print(f"latency ms: p50={percentile(ms, 0.5):.2f} p99={percentile(ms, 0.99):.2f}")
        for e in errors[:5]:
            print("error:", e)


def main() -> None:
    parser = server_options(__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
