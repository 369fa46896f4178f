"""Hub ingest: N simulated branches pushing their journals to a hub of W processes on
PostgreSQL (budgets: ingest lag p99 <= 2 s at 200 branches x 10 counters; a 5,000-event
backlog caught up in <= 30 s).

A real hub (``counter-app hub --workers W``) on a fresh database. Each simulated branch makes
journal events at ``--rate`` events a second (a busy office of 10 counters makes about one a
second: issue, call, start, finish per citizen) and, like the branch server's pusher, pushes
what it has every ``--interval`` seconds (gzip JSON, link key as bearer). Ingest lag is, per
event, the time from its making to the hub's acknowledgement. Then one more branch pushes a
backlog of ``--backlog`` events from scratch in batches of 500: the catch-up time.

    python -m bench.hub_ingest --branches 50 --seconds 30
    python -m bench.hub_ingest --branches 200 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bench.harness import database, free_port, machine, percentile
from counter_app.hub import store
from counter_app.schemas.hub import PUSH_BATCH
from counter_app.store.db import normalise_url


def _event(seq: int, branch: int) -> dict[str, Any]:
    at = datetime.now(UTC).isoformat()
    payload = {
        "seq": seq,
        "kind": "ticket_issued",
        "at": at,
        "branch_id": 1,
        "ticket": {"id": seq, "number": f"A{seq:03d}", "state": "waiting", "service_id": 1},
        "counter": None,
        "user_id": None,
        "device_id": branch,
        "data": {},
    }
    return {"seq": seq, "kind": "ticket_issued", "at": at, "payload": payload}


async def _push(client: httpx.AsyncClient, url: str, key: str, events: list[Any]) -> int:
    body = gzip.compress(orjson.dumps({"events": events}), compresslevel=5)
    headers = {"Authorization": f"Bearer {key}", "Content-Encoding": "gzip"}
    answer = await client.post(f"{url}/hub/v1/journal", content=body, headers=headers)
    answer.raise_for_status()
    return int(answer.json()["hub_seq"])


async def _branch(
    client: httpx.AsyncClient,
    url: str,
    key: str,
    number: int,
    args: argparse.Namespace,
    lags: list[float],
    stop_at: float,
) -> None:
    seq = 0
    pending: list[tuple[float, dict[str, Any]]] = []
    next_event = time.monotonic() + (number % 10) / 10 / args.rate
    await asyncio.sleep((number % 20) / 20 * args.interval)  # branches do not push in step
    while time.monotonic() < stop_at:
        now = time.monotonic()
        while next_event <= now:
            seq += 1
            pending.append((next_event, _event(seq, number)))
            next_event += 1 / args.rate
        if pending:
            await _push(client, url, key, [e for _, e in pending])
            acked = time.monotonic()
            lags.extend(acked - made for made, _ in pending)
            pending.clear()
        await asyncio.sleep(args.interval)


async def _run(url: str, keys: list[str], args: argparse.Namespace) -> dict[str, float]:
    lags: list[float] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        stop_at = time.monotonic() + args.seconds
        await asyncio.gather(
            *(_branch(client, url, k, n, args, lags, stop_at) for n, k in enumerate(keys[:-1]))
        )
        backlog = [_event(s, 0) for s in range(1, args.backlog + 1)]
        started = time.monotonic()
        for first in range(0, len(backlog), PUSH_BATCH):
            await _push(client, url, keys[-1], backlog[first : first + PUSH_BATCH])
        catch_up = time.monotonic() - started
    return {
        "events": len(lags),
        "lag_p50": percentile(lags, 0.5),
        "lag_p99": percentile(lags, 0.99),
        "lag_max": max(lags),
        "catch_up": catch_up,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=1.0, help="events a second per branch")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between pushes")
    parser.add_argument("--backlog", type=int, default=5000)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with database("postgresql") as db_url:
        engine = create_engine(normalise_url(db_url))
        store.create_schema(engine)
        with sessionmaker(engine).begin() as session:
            keys = [
                store.add_branch(session, f"Cabang {n}", "Bench")[1]
                for n in range(args.branches + 1)
            ]
        engine.dispose()
        port = free_port()
        env = {**os.environ, "COUNTER_APP_LOG_LEVEL": "warning"}
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
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/hub/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            result = asyncio.run(_run(url, keys, args))
        finally:
            hub.terminate()
            hub.wait(30)
    print(
        f"hub ingest: {args.branches} branches x {args.rate:g} events/s, push every "
        f"{args.interval:g} s, {args.workers} hub processes, {args.seconds:g} s: "
        f"{result['events']:.0f} events; ingest lag p50 {result['lag_p50'] * 1000:.0f} ms, "
        f"p99 {result['lag_p99'] * 1000:.0f} ms, max {result['lag_max'] * 1000:.0f} ms; "
        f"catch-up of {args.backlog} events: {result['catch_up']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
