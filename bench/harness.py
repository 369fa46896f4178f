"""Start a real server process on a fresh database with a generated office, for benchmarks."""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg
import requests
from sqlalchemy.engine import make_url

from bench.rawhttp import Connection

PASSWORD = "bench-password-1"
PG_ADMIN = os.environ.get("COUNTER_APP_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def office_toml(counters: int, services: int = 2) -> str:
    lines = [
        "[[branch]]",
        'code = "bench"',
        'name = "Bench office"',
        'timezone = "Asia/Jakarta"',
    ]
    prefixes = [chr(ord("A") + i) for i in range(services)]
    for p in prefixes:
        lines += ["[[branch.service]]", f'prefix = "{p}"', f'name = "Service {p}"']
    for n in range(1, counters + 1):
        lines += [
            "[[branch.counter]]",
            f"number = {n}",
            f"services = {prefixes!r}".replace("'", '"'),
        ]
        lines += [
            "[[branch.user]]",
            f'username = "officer{n}"',
            'password_env = "BENCH_PASSWORD"',
            f"counters = [{n}]",
        ]
    lines += ["[[branch.device]]", 'kind = "kiosk"', 'name = "bench kiosk"']
    return "\n".join(lines) + "\n"


@dataclass
class BenchServer:
    url: str
    port: int
    db_url: str
    kiosk_token: str
    pids: list[int]

    @property
    def host(self) -> str:
        return urlparse(self.url).hostname or "127.0.0.1"


def server_options(description: str | None) -> argparse.ArgumentParser:
    """A parser with the options of a benchmark against one server: ``--db``, ``--workers``
    and ``--no-group-commit`` (see ``served``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--no-group-commit",
        action="store_true",
        help="SQLite: COUNTER_APP_SQLITE_GROUP_COMMIT=false (one transaction per write)",
    )
    return parser


@contextmanager
def served(args: argparse.Namespace, counters: int) -> Iterator[BenchServer]:
    """A server as ``server_options`` asked for, on a fresh database with ``counters``."""
    with (
        database(args.db) as db_url,
        bench_server(db_url, counters, args.workers, settings=group_commit(args)) as server,
    ):
        yield server


def print_setup(args: argparse.Namespace, rest: str) -> None:
    """The machine, then the server ``served`` ran and what the benchmark did (``rest``)."""
    print(f"machine: {machine()}")
    print(f"backend={args.db} workers={args.workers} {rest}")


def group_commit(args: Any) -> dict[str, str]:
    """Server settings for ``--no-group-commit``: SQLite writes one transaction each, in worker
    threads, instead of the default group commit on the event loop (store.db.WriteGroup)."""
    return {"COUNTER_APP_SQLITE_GROUP_COMMIT": "false"} if args.no_group_commit else {}


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return (
        f"{os.cpu_count()} cores ({cpu}), {system}, Python {platform.python_version()}, "
        f"speed probe {speed_probe():.1f} ms"
    )


def speed_probe() -> float:
    """Milliseconds a fixed piece of plain Python takes here (best of seven; lower is faster).

    The reference machine is a shared virtual machine: the same code measured on different
    days ran up to 2.8 times slower, with nothing else running. Every benchmark prints this
    next to its numbers, so results from different days can be told apart from changes in
    the code."""

    def work() -> int:
        table: dict[int, int] = {}
        total = 0
        for i in range(20_000):
            table[i & 255] = i
            total += table[i & 127]
        return total

    best = float("inf")
    for _ in range(7):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    name = f"counter_app_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_server(
    db_url: str,
    counters: int,
    workers: int = 1,
    *,
    office: str | None = None,
    settings: dict[str, str] | None = None,
) -> Iterator[BenchServer]:
    """``office`` replaces the generated office file; ``settings`` are extra environment
    variables for the server (``COUNTER_APP_…``)."""
    env = {**os.environ, "BENCH_PASSWORD": PASSWORD, "COUNTER_APP_LOG_LEVEL": "warning"}
    env.update(settings or {})
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as handle:
        handle.write(office if office is not None else office_toml(counters))
        office_file = handle.name
    setup = subprocess.run(
        [sys.executable, "-m", "counter_app", "setup", office_file, "--db", db_url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(office_file)
    token = next(
        line.rsplit(": ", 1)[1]
        for line in setup.stdout.splitlines()
        if line.startswith("device token")
    )
    port = free_port()
    server_log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed after the server stops)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "counter_app",
            "server",
            "--db",
            db_url,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: nobody reads the pipe while the server runs, and once its buffer
        # is full a server that logs (a storm of failed logins) would block on the write.
        stderr=server_log,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def log() -> str:
        server_log.seek(0)
        return server_log.read()

    wait_started(url, proc, log)
    try:
        yield BenchServer(url=url, port=port, db_url=db_url, kiosk_token=token, pids=[proc.pid])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        server_log.close()


def wait_started(url: str, proc: subprocess.Popen[str], log: Callable[[], str]) -> None:
    """Wait (up to 60 s) until the server at ``url`` answers its health check; if ``proc``
    ends first or time runs out, fail with what ``log`` gives (the server's output)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url + "/api/v1/health", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log()}")
        time.sleep(0.1)


def login(url: str, username: str) -> str:
    r = requests.post(
        url + "/api/v1/auth/login", json={"username": username, "password": PASSWORD}, timeout=30
    )
    r.raise_for_status()
    return str(r.json()["token"])


def process_cpu(pids: list[int]) -> float:
    """User and system CPU seconds these processes have used so far (a busy machine slows
    the wall clock of a request far more than the CPU it costs the server)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def call_next(
    conn: Connection, auth: dict[str, str], counter_id: int
) -> tuple[float, int, bytes]:
    """``call-next`` at ``counter_id``: the seconds the answer took, its status and body."""
    started = time.perf_counter()
    status, body = await conn.request(
        "POST",
        f"/api/v1/counters/{counter_id}/call-next",
        None,
        {**auth, "Idempotency-Key": uuid.uuid4().hex},
    )
    return time.perf_counter() - started, status, body


async def finish(conn: Connection, auth: dict[str, str], ticket_id: int) -> tuple[int, bytes]:
    """``finish`` the ticket ``ticket_id``: the answer's status and body."""
    return await conn.request(
        "POST",
        f"/api/v1/tickets/{ticket_id}/finish",
        None,
        {**auth, "Idempotency-Key": uuid.uuid4().hex},
    )
