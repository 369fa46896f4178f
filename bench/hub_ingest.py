"""Hub ingest: N simulated branches pushing their journals to a hub of W processes on
PostgreSQL (budgets: ingest lag p99 <= 2 s at 200 branches x 10 counters; a 5,000-event
backlog caught up in <= 30 s).

A real hub (``counter-app hub --workers W``) on a fresh database. The simulated branches run
in ``--procs`` processes of their own (asyncio, a keep-alive connection per branch), so the
load generator is not one busy event loop. Each branch makes journal events at ``--rate``
events a second (a busy office of 10 counters makes about one a second: issue, call, start,
finish per citizen) and pushes them like the branch server's pusher (``server/hub_push.py``):

* ``--policy eager`` (the pusher's): as soon as there are new events, after a coalescing
  delay (``--coalesce``) and at least ``--min-gap`` after the previous push started, one push
  in flight per branch; the next push takes everything that
  arrived meanwhile (at most 500 events), so under load pushes batch themselves;
* ``--policy interval``: whatever is there every ``--interval`` seconds (the pusher before).

Ingest lag is, per event, the time from its making to the hub's acknowledgement. The
generator's own lag (an event made later than its schedule: the generating process was
behind) is reported separately. Then one more branch pushes a backlog of ``--backlog``
events from scratch in batches of 500: the catch-up time.

    python -m bench.hub_ingest --branches 50 --seconds 30
    python -m bench.hub_ingest --branches 200 --workers 2 --procs 3
    python -m bench.hub_ingest --hub-tree /path/to/other/checkout   # the hub from another tree
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bench.harness import database, free_port, machine, percentile
from bench.rawhttp import Connection
from counter_app.hub import store
from counter_app.schemas.hub import PUSH_BATCH
from counter_app.store.db import normalise_url

Result = dict[str, Any]


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


async def _push(conn: Connection, key: str, events: list[Any], figures: bool = True) -> int:
    push: dict[str, Any] = {"events": events}
    if figures and events:
        push["figures"] = {"seq": events[-1]["seq"], "waiting": 5, "open_counters": 10}
    body = gzip.compress(orjson.dumps(push), compresslevel=5)
    headers = {"Authorization": f"Bearer {key}", "Content-Encoding": "gzip"}
    status, answer = await conn.request("POST", "/hub/v1/journal", body, headers)
    if status != 200:
        raise RuntimeError(f"push refused: {status} {answer[:200]!r}")
    return int(orjson.loads(answer)["hub_seq"])


class SimBranch:
    """One simulated branch: an event maker and a pusher, sharing a list of pending events."""

    def __init__(self, number: int, key: str, args: argparse.Namespace, out: Result) -> None:
        self.number = number
        self.key = key
        self.args = args
        self.out = out
        self.pending: list[tuple[float, dict[str, Any]]] = []
        self.news = asyncio.Event()
        self.done_making = False
        self.seq = 0

    async def make(self, start: float, stop: float) -> None:
        step = 1 / self.args.rate
        due = start + (self.number % 100) / 100 * step  # branches do not make events in step
        while due < stop:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            made = time.monotonic()
            self.out["gen_lags"].append(made - due)
            self.seq += 1
            self.pending.append((made, _event(self.seq, self.number)))
            self.news.set()
            due += step
        self.done_making = True
        self.news.set()

    async def push(self, conn: Connection, start: float) -> None:
        args = self.args
        last_push = 0.0
        if args.policy == "interval":
            await asyncio.sleep(max(0.0, start - time.monotonic()))
            await asyncio.sleep((self.number % 20) / 20 * args.interval)
        while True:
            if args.policy == "eager":
                if not self.pending and not self.done_making:
                    await self.news.wait()
                since = time.monotonic() - last_push
                await asyncio.sleep(max(args.coalesce, args.min_gap - since))
                self.news.clear()
                last_push = time.monotonic()
            if self.pending:
                batch = self.pending[:PUSH_BATCH]
                del self.pending[: len(batch)]
                await _push(conn, self.key, [e for _, e in batch])
                acked = time.monotonic()
                self.out["lags"].extend(acked - made for made, _ in batch)
                self.out["pushes"] += 1
                if self.pending:
                    self.news.set()
            elif self.done_making:
                return
            if args.policy == "interval":
                await asyncio.sleep(args.interval)


async def _generate(
    url: str, keys: list[tuple[int, str]], args: argparse.Namespace, t0: float
) -> Result:
    out: Result = {"lags": [], "gen_lags": [], "pushes": 0}
    host, port = url.removeprefix("http://").split(":")
    branches = [SimBranch(n, k, args, out) for n, k in keys]
    conns = [Connection(host, int(port)) for _ in branches]
    for conn in conns:
        await conn.open()
    # Every process starts at the same wall-clock moment.
    start = time.monotonic() + max(0.0, t0 - time.time())
    stop = start + args.seconds
    tasks = [asyncio.create_task(b.make(start, stop)) for b in branches]
    tasks += [asyncio.create_task(b.push(c, start)) for b, c in zip(branches, conns, strict=True)]
    await asyncio.gather(*tasks)
    for conn in conns:
        await conn.close()
    return out


def _generator(
    url: str, keys: list[tuple[int, str]], args: argparse.Namespace, t0: float, results: Any
) -> None:
    results.put(asyncio.run(_generate(url, keys, args, t0)))


async def _catch_up(url: str, key: str, backlog: int) -> float:
    host, port = url.removeprefix("http://").split(":")
    conn = Connection(host, int(port))
    events = [_event(s, 0) for s in range(1, backlog + 1)]
    started = time.monotonic()
    for first in range(0, len(events), PUSH_BATCH):
        await _push(conn, key, events[first : first + PUSH_BATCH])
    took = time.monotonic() - started
    await conn.close()
    return took


def _run(url: str, keys: list[str], args: argparse.Namespace) -> Result:
    procs = max(1, args.procs)
    numbered = list(enumerate(keys[:-1]))
    shares = [numbered[i::procs] for i in range(procs)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    t0 = time.time() + 3.0  # the spawned processes import and connect first
    workers = [
        context.Process(target=_generator, args=(url, share, args, t0, results)) for share in shares
    ]
    for worker in workers:
        worker.start()
    outs = [results.get(timeout=args.seconds + 300) for _ in workers]
    for worker in workers:
        worker.join(30)
    lags = [lag for out in outs for lag in out["lags"]]
    gen_lags = [lag for out in outs for lag in out["gen_lags"]]
    pushes = sum(out["pushes"] for out in outs)
    catch_up = asyncio.run(_catch_up(url, keys[-1], args.backlog)) if args.backlog else 0.0
    return {
        "events": len(lags),
        "pushes": pushes,
        "lag_p50": percentile(lags, 0.5),
        "lag_p99": percentile(lags, 0.99),
        "lag_max": max(lags),
        "gen_p99": percentile(gen_lags, 0.99),
        "gen_max": max(gen_lags),
        "gen_late": sum(1 for g in gen_lags if g > 0.1),
        "catch_up": catch_up,
    }


def _wait_healthy(url: str, hub: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise SystemExit("the hub did not start")
        try:
            if httpx.get(f"{url}/hub/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the hub did not answer within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="hub processes")
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=1.0, help="events a second per branch")
    parser.add_argument("--policy", choices=["eager", "interval"], default="eager")
    parser.add_argument("--coalesce", type=float, default=0.1, help="eager: seconds to wait")
    parser.add_argument(
        "--min-gap", type=float, default=0.5, help="eager: at least this between push starts"
    )
    parser.add_argument("--interval", type=float, default=0.5, help="interval: seconds")
    parser.add_argument("--backlog", type=int, default=5000)
    parser.add_argument(
        "--hub-tree", type=Path, default=None, help="run the hub from this checkout (A/B)"
    )
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
        cwd = None
        if args.hub_tree is not None:
            cwd = str(args.hub_tree.resolve())
            env["PYTHONPATH"] = cwd
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
            cwd=cwd,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, hub)
            result = _run(url, keys, args)
        finally:
            os.killpg(hub.pid, signal.SIGTERM)  # the hub and its worker processes
            hub.wait(30)
    policy = (
        f"eager, coalescing {args.coalesce:g} s, gap {args.min_gap:g} s"
        if args.policy == "eager"
        else None
    )
    r = result
    per_push = r["events"] / max(1, r["pushes"])
    print(
        f"hub ingest: {args.branches} branches x {args.rate:g} events/s, push "
        f"{policy or f'every {args.interval:g} s'}, {args.workers} hub processes, "
        f"{args.procs} generator processes, {args.seconds:g} s"
    )
    print(
        f"  {r['events']} events in {r['pushes']} pushes ({r['pushes'] / args.seconds:.0f}/s, "
        f"{per_push:.1f} events a push)"
    )
    print(
        f"  ingest lag p50 {r['lag_p50'] * 1000:.0f} ms, p99 {r['lag_p99'] * 1000:.0f} ms, "
        f"max {r['lag_max'] * 1000:.0f} ms"
    )
    print(
        f"  generator lag p99 {r['gen_p99'] * 1000:.0f} ms, max {r['gen_max'] * 1000:.0f} ms, "
        f"{r['gen_late']} events made > 100 ms late"
    )
    print(f"  catch-up of {args.backlog} events: {r['catch_up']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
