"""Hub status pages: how fast a branch's push reaches the open ``/t/<code>`` streams
(budget: 10,000 subscribers, event -> page p99 <= 1 s; docs/HUB.md, docs/PERFORMANCE.md).

A real hub (``counter-app hub --workers W``) on a fresh PostgreSQL database with ``--branches``
branches, each holding ``--tickets`` waiting tickets of today. ``--subscribers`` streams
(``hub_ticket_status_stream``, raw sockets, ``--clients`` processes) are spread over the
branches' tickets. Then every branch pushes one event every ``--interval`` seconds for
``--seconds`` (alternately a new walk-in ticket and a call of a ticket nobody watches: every
push changes what every page of that branch shows). Per push and subscriber of its branch:
the time from the hub's acknowledgement of the push to the subscriber receiving the status
of that push (or a later one), and how many subscribers received it.

    python -m bench.hub_status_fanout --branches 200 --subscribers 10000 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bench.harness import database, free_port, machine, percentile, process_cpu
from counter_app.hub import store
from counter_app.store.db import normalise_url

ZONE_OFFSET = timedelta(hours=7)  # Asia/Jakarta


def code(branch: int, ticket: int) -> str:
    return f"B{branch:03d}T{ticket:04d}"


def ticket_event(branch: int, seq: int, number: int, state: str, at: datetime) -> dict[str, Any]:
    day = (at + ZONE_OFFSET).date().isoformat()
    ticket = {
        "id": number,
        "code": code(branch, number),
        "number": f"A-{number:03d}",
        "service_id": 1,
        "service_name": "Layanan A",
        "service_day": day,
        "state": state,
        "enqueued_at": (at - timedelta(minutes=60) + timedelta(seconds=number)).isoformat(),
        "counter_name": "Loket 1" if state == "called" else None,
        "counter_number": 1 if state == "called" else None,
    }
    kind = "ticket.called" if state == "called" else "ticket.issued"
    payload = {
        "seq": seq,
        "kind": kind,
        "at": at.isoformat(),
        "branch_id": 1,
        "ticket": ticket,
        "counter": None,
        "user_id": None,
        "device_id": None,
        "data": {},
    }
    return {"seq": seq, "kind": kind, "at": payload["at"], "payload": payload}


# --- the subscribers (run as ``--client`` processes) ----------------------------------------


async def _subscribe(
    host: str, port: int, ticket: str, log: list[Any], opened: list[int], gate: asyncio.Semaphore
) -> None:
    async with gate:  # a few hundred connections opening at once, not thousands
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(
                f"GET /hub/v1/public/tickets/{ticket}/events HTTP/1.1\r\nHost: {host}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            await writer.drain()
            status = await reader.readline()
        except OSError:
            status = b""
        if b" 200 " not in status:
            opened[1] += 1
            return
        opened[0] += 1
    seen: list[tuple[int, float]] = []
    log.append((ticket, seen))
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            at = line.find(b'"seq":')
            if at >= 0:  # only the sequence: this process's CPU is for reading sockets
                end = line.index(b",", at)
                seen.append((int(line[at + 6 : end]), time.time()))
    finally:
        writer.close()


async def _client(host: str, port: int, tickets: list[str], out: Path) -> None:
    log: list[Any] = []
    opened = [0, 0]  # open, refused
    gate = asyncio.Semaphore(100)
    tasks = [
        asyncio.create_task(_subscribe(host, port, ticket, log, opened, gate)) for ticket in tickets
    ]
    while sum(opened) < len(tickets):
        await asyncio.sleep(0.1)
    print(f"ready {opened[0]} {opened[1]}", flush=True)
    # One process stands in for thousands of phones: its own collector walking all their
    # connections would pause them all at once and be counted as the hub's delay.
    gc.collect()
    gc.freeze()
    gc.disable()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), stop.set)
    await stop.wait()
    for task in tasks:
        task.cancel()
    out.write_bytes(orjson.dumps(log))


# --- the driver ------------------------------------------------------------------------------


def _start_hub(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "COUNTER_APP_LOG_LEVEL": "warning",
        "COUNTER_APP_HUB_STREAMS_PER_ADDRESS": "1000000",  # every phone is 127.0.0.1 here
        "COUNTER_APP_HUB_STREAMS_TOTAL": "1000000",
    }
    cmd = [sys.executable, "-m", "counter_app", "hub", "--db", db_url, "--port", str(port)]
    return subprocess.Popen([*cmd, "--workers", str(workers)], env=env, start_new_session=True)


def _pids(root: int) -> list[int]:
    found = [root]
    for pid in found:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        found.extend(int(c) for c in children)
    return found


async def _push(client: httpx.AsyncClient, url: str, key: str, events: list[Any]) -> int:
    body = orjson.dumps({"events": events})
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    try:
        answer = await client.post(f"{url}/hub/v1/journal", content=body, headers=headers)
    except (httpx.ReadError, httpx.RemoteProtocolError):
        # The hub closed the idle keep-alive connection (uvicorn: after 5 s) as this push
        # went out; a push is safe to repeat (the branch's pusher retries too).
        answer = await client.post(f"{url}/hub/v1/journal", content=body, headers=headers)
    answer.raise_for_status()
    return int(answer.json()["hub_seq"])


async def _seed(url: str, keys: list[str], tickets: int) -> None:
    limits = httpx.Limits(max_connections=20)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        gate = asyncio.Semaphore(20)

        async def one(branch: int, key: str) -> None:
            now = datetime.now(UTC)
            events = [ticket_event(branch, n, n, "waiting", now) for n in range(1, tickets + 1)]
            async with gate:
                await _push(client, url, key, events)

        await asyncio.gather(*(one(b, k) for b, k in enumerate(keys)))


async def _drive(
    url: str, keys: list[str], args: argparse.Namespace
) -> list[tuple[int, int, float, float]]:
    """Every branch pushes one event every ``--interval`` s; (branch, seq, sent, acked)."""
    pushes: list[tuple[int, int, float, float]] = []
    limits = httpx.Limits(max_connections=len(keys), max_keepalive_connections=len(keys))
    stop_at = time.monotonic() + args.seconds
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def branch(number: int, key: str) -> None:
            await asyncio.sleep(number / len(keys) * args.interval)  # not in step
            seq, walk_ins, called = args.tickets, args.tickets, 0
            while time.monotonic() < stop_at:
                seq += 1
                now = datetime.now(UTC)
                if seq % 2:
                    walk_ins += 1
                    event = ticket_event(number, seq, walk_ins, "waiting", now)
                else:
                    called += 1  # the first tickets have no subscriber (see _assign)
                    event = ticket_event(number, seq, called, "called", now)
                sent = time.time()
                assert await _push(client, url, key, [event]) == seq
                pushes.append((number, seq, sent, time.time()))
                await asyncio.sleep(args.interval)

        await asyncio.gather(*(branch(n, k) for n, k in enumerate(keys)))
    return pushes


def _assign(args: argparse.Namespace) -> list[str]:
    """Subscriber i watches a ticket of branch i mod B, past the tickets the run calls."""
    calls = int(args.seconds / args.interval) // 2 + 2
    watched = range(calls + 1, args.tickets + 1)
    if not watched:
        raise SystemExit("--tickets too few for the calls of this run")
    return [
        code(i % args.branches, watched[(i // args.branches) % len(watched)])
        for i in range(args.subscribers)
    ]


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def run(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    with database("postgresql") as db_url, tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(normalise_url(db_url))
        store.create_schema(engine)
        with sessionmaker(engine).begin() as session:
            keys = [
                store.add_branch(session, f"Cabang {n}", "Bench")[1] for n in range(args.branches)
            ]
        engine.dispose()
        port = free_port()
        hub = _start_hub(db_url, port, args.workers)
        url = f"http://127.0.0.1:{port}"
        clients: list[subprocess.Popen[str]] = []
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/hub/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            asyncio.run(_seed(url, keys, args.tickets))
            watched = _assign(args)
            started = time.monotonic()
            for n in range(args.clients):
                mine = watched[n :: args.clients]
                list_file = Path(tmp) / f"tickets-{n}.json"
                list_file.write_text(json.dumps(mine))
                clients.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "bench.hub_status_fanout",
                            "--client",
                            f"127.0.0.1:{port}",
                            str(list_file),
                            str(Path(tmp) / f"seen-{n}.json"),
                        ],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                )
            open_ok = refused = 0
            for proc in clients:
                assert proc.stdout is not None
                _ready, ok, bad = proc.stdout.readline().split()
                open_ok, refused = open_ok + int(ok), refused + int(bad)
            print(
                f"{open_ok} streams open ({refused} refused) in {time.monotonic() - started:.1f} s"
            )
            time.sleep(2)  # the first statuses
            load_before = _load()
            cpu_before = process_cpu(_pids(hub.pid))
            client_pids = [proc.pid for proc in clients]
            clients_before, driver_before = process_cpu(client_pids), time.process_time()
            pushes = asyncio.run(_drive(url, keys, args))
            time.sleep(args.drain)
            cpu = process_cpu(_pids(hub.pid)) - cpu_before
            load_cpu = process_cpu(client_pids) - clients_before
            load_cpu += time.process_time() - driver_before
            load_after = _load()
            for proc in clients:
                assert proc.stdin is not None
                proc.stdin.close()
            for proc in clients:
                proc.wait(60)
        finally:
            for proc in clients:
                if proc.poll() is None:
                    proc.kill()
            hub.terminate()
            hub.wait(30)
        seen: dict[str, list[list[tuple[int, float]]]] = {}
        for n in range(args.clients):
            for ticket, frames in orjson.loads((Path(tmp) / f"seen-{n}.json").read_bytes()):
                seen.setdefault(ticket[:4], []).append(frames)
    print(f"load generator CPU (subscribers and pushing branches): {load_cpu:.1f} s")
    report(args, pushes, seen, cpu, load_before, load_after)


def report(
    args: argparse.Namespace,
    pushes: list[tuple[int, int, float, float]],
    seen: dict[str, list[list[tuple[int, float]]]],
    cpu: float,
    load_before: str,
    load_after: str,
) -> None:
    from_ack: list[float] = []
    from_sent: list[float] = []
    expected = missed = 0
    for branch, seq, sent, acked in pushes:
        for frames in seen.get(f"B{branch:03d}", []):
            expected += 1
            seqs = [s for s, _t in frames]
            at = bisect_left(seqs, seq)
            if at == len(frames):
                missed += 1
                continue
            received = frames[at][1]
            from_ack.append((received - acked) * 1000)
            from_sent.append((received - sent) * 1000)
    print(
        f"hub status fan-out: {args.branches} branches, {args.subscribers} subscribers, "
        f"{args.workers} hub processes, {len(pushes)} pushes in {args.seconds:g} s "
        f"(each branch every {args.interval:g} s; {len(pushes) / args.seconds:.1f}/s)"
    )
    print(
        f"deliveries {len(from_ack)} of {expected} expected ({missed} missed); "
        f"hub CPU {cpu:.1f} s over the run; load average {load_before} before, {load_after} after"
    )
    for name, values in (("ack -> page", from_ack), ("push sent -> page", from_sent)):
        print(
            f"{name} ms: p50 {percentile(values, 0.5):.0f}, p99 {percentile(values, 0.99):.0f}, "
            f"max {max(values):.0f}"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        host, port = sys.argv[2].split(":")
        tickets = json.loads(Path(sys.argv[3]).read_text())
        asyncio.run(_client(host, int(port), tickets, Path(sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=80, help="waiting tickets per branch")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4, help="subscriber processes")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=10.0, help="s between a branch's pushes")
    parser.add_argument("--drain", type=float, default=5.0, help="s to wait after the last push")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
