"""call_next latency at a branch while its pusher catches up a 3-day backlog with the hub.

Budget: a branch's ``call_next`` p99 within 10 % of the same branch without a hub while it
pushes ~3 days of a busy office's journal (~15,000 events) it could not push before.

Each run: a branch server (SQLite, one process) on a fresh database; ``--tickets`` waiting
tickets issued through the API; then ``--backlog`` journal events written straight into the
branch's database (copies of its own events, renumbered after its journal head: the journal
the hub has not seen), and at once the counters start as in ``bench/call_next_latency.py``
(one officer each: call next, finish, think an exponential ``--think-ms``). With ``hub`` a
real hub (``counter-app hub --workers 2``, PostgreSQL, fresh database) is linked, so the
pusher sends the whole journal while the counters call; with ``none`` no hub is set. The modes
alternate. The hub runs at ``--hub-nice`` 10: in an office it runs elsewhere, here it shares
the two cores with the branch, and its ingest should not be what is measured. The catch-up
time (until the hub holds the journal head as it was when the counters started) is read from
the branch's ``/api/v1/health``.

    python -m bench.call_next_while_pushing --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bench.call_next_latency import counter_loop, issue_tickets
from bench.harness import (
    bench_server,
    database,
    free_port,
    login,
    machine,
    percentile,
    process_cpu,
)
from counter_app.hub import store
from counter_app.store.db import normalise_url


class _Timed(list[float]):
    """Latencies, with the moment each was recorded (``counter_loop`` appends after a call)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: list[float] = []

    def append(self, value: float) -> None:
        self.at.append(time.monotonic())
        super().append(value)


@contextlib.contextmanager
def _hub(nice: int = 0) -> Iterator[tuple[str, str]]:
    """A hub on a fresh database with one branch registered: its address and link key. At
    ``nice`` (a hub normally runs on another machine; here it shares the branch's cores)."""
    with database("postgresql") as db_url:
        engine = create_engine(normalise_url(db_url))
        store.create_schema(engine)
        with sessionmaker(engine).begin() as session:
            key = store.add_branch(session, "Cabang", "Bench")[1]
        engine.dispose()
        port = free_port()
        env = {**os.environ, "COUNTER_APP_LOG_LEVEL": "warning"}
        command = ["nice", "-n", str(nice), sys.executable, "-m", "counter_app", "hub"]
        command += ["--db", db_url]
        hub = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "2"], env=env, start_new_session=True
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/hub/v1/health", timeout=2).status_code == 200:
                        break
                time.sleep(0.2)
            yield url, key
        finally:
            os.killpg(hub.pid, signal.SIGTERM)
            hub.wait(30)


def _write_backlog(sqlite_file: str, count: int) -> int:
    """Append ``count`` events to branch 1's journal (copies of its own, renumbered); return
    the new journal head."""
    with contextlib.closing(sqlite3.connect(sqlite_file, timeout=30)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        head = int(
            conn.execute("SELECT last_seq FROM branch_sequences WHERE branch_id = 1").fetchone()[0]
        )
        template = head
        added = 0
        while added < count:
            take = min(template, count - added)
            offset = head + added
            conn.execute(
                "INSERT INTO events (branch_id, seq, kind, at, ticket_id, counter_id, user_id,"
                " device_id, payload) SELECT branch_id, seq + ?, kind, at, ticket_id, counter_id,"
                " user_id, device_id, json_set(payload, '$.seq', seq + ?) FROM events"
                " WHERE branch_id = 1 AND seq <= ?",
                (offset, offset, take),
            )
            added += take
        conn.execute(
            "UPDATE branch_sequences SET last_seq = ? WHERE branch_id = 1", (head + count,)
        )
        conn.commit()
    return head + count


async def _watch_sync(url: str, head: int, began: float, out: dict[str, float]) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            await asyncio.sleep(0.25)
            with contextlib.suppress(httpx.HTTPError):
                sync = (await client.get(f"{url}/api/v1/health")).json().get("hub_sync") or {}
                if (sync.get("hub_seq") or 0) >= head:
                    out["caught_up"] = time.monotonic() - began
                    return


async def _measure(server: Any, args: argparse.Namespace, hub: bool) -> dict[str, Any]:
    host, port = server.host, server.port
    kiosk = {"Authorization": f"Bearer {server.kiosk_token}"}
    services = requests.get(f"{server.url}/api/v1/branches/1/services", headers=kiosk, timeout=30)
    await issue_tickets(
        host, port, server.kiosk_token, args.tickets, [s["id"] for s in services.json()]
    )
    counters = requests.get(f"{server.url}/api/v1/branches/1/counters", headers=kiosk, timeout=30)
    tokens = [login(server.url, f"officer{c['number']}") for c in counters.json()]
    head = _write_backlog(server.db_url.removeprefix("sqlite:///"), args.backlog)
    latencies = _Timed()
    errors: list[str] = []
    began: list[float] = []
    sync: dict[str, float] = {}
    opened = asyncio.Barrier(len(tokens))
    cpu_before = process_cpu(server.pids)
    start = time.monotonic()
    watch = asyncio.create_task(_watch_sync(server.url, head, start, sync)) if hub else None
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
            for tok, c in zip(tokens, counters.json(), strict=True)
        )
    )
    cpu = process_cpu(server.pids) - cpu_before
    if watch is not None:
        if "caught_up" not in sync:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch, 120)
        watch.cancel()
    ms = [x * 1000 for x in latencies]
    early = [
        x * 1000 for x, at in zip(latencies, latencies.at, strict=True) if at - start <= args.window
    ]
    return {
        "ms": ms,
        "early": early,
        "errors": errors,
        "caught_up": sync.get("caught_up"),
        "cpu": cpu,
    }


def _run_once(args: argparse.Namespace, mode: str) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        settings: dict[str, str] = {}
        if mode == "hub":
            url, key = stack.enter_context(_hub(args.hub_nice))
            settings = {"COUNTER_APP_HUB_URL": url, "COUNTER_APP_HUB_KEY": key}
        db_url = stack.enter_context(database("sqlite"))
        server = stack.enter_context(bench_server(db_url, args.counters, 1, settings=settings))
        return asyncio.run(_measure(server, args, mode == "hub"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--think-ms", type=float, default=2000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--backlog", type=int, default=15000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--window", type=float, default=12, help="also the p99 of the calls of the first seconds"
    )
    parser.add_argument("--hub-nice", type=int, default=10, help="the hub's niceness")
    parser.add_argument("--modes", default="hub,none", help="alternated, in this order")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(
        f"sqlite branch, counters={args.counters} think_ms={args.think_ms:g} "
        f"tickets={args.tickets} backlog={args.backlog} seconds={args.seconds:g}"
    )
    for round_ in range(1, args.rounds + 1):
        for mode in args.modes.split(","):
            load = os.getloadavg()[0]
            started = time.strftime("%H:%M:%S", time.gmtime())
            r = _run_once(args, mode)
            ms = r["ms"]
            caught = r["caught_up"]
            tail = (
                ""
                if mode != "hub"
                else (
                    f", caught up after {caught:.1f} s" if caught is not None else ", NOT caught up"
                )
            )
            print(
                f"round {round_} {mode:4s} {started} load {load:.1f}->{os.getloadavg()[0]:.1f}: "
                f"calls={len(ms)} p50={percentile(ms, 0.5):.1f} p95={percentile(ms, 0.95):.1f} "
                f"p99={percentile(ms, 0.99):.1f} max={max(ms):.1f} ms, errors={len(r['errors'])}"
                f"{tail}; first {args.window:g} s: calls={len(r['early'])} "
                f"p99={percentile(r['early'], 0.99):.1f} ms; server CPU {r['cpu']:.1f} s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
