"""A throw-away server for a one-command study: a fresh simulation database in a temporary
folder, the profile's office applied to it (every account gets one generated password), and
``counter-app server --simulation-clock`` in a process of its own, stopped at the end."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role
from counter_app.simulate.profile import LoadedProfile

START_TIMEOUT_SECONDS = 60.0
ADMIN = "admin"
# The simulator books many places from one address in a few seconds of real time, and its
# simulated days run in minutes: the per-address limits and session lifetime are made to fit.
SERVER_ENVIRONMENT = {
    "COUNTER_APP_BOOKING_CLIENT_PER_MINUTE": "1000000",
    "COUNTER_APP_BOOKING_CLIENT_BURST": "1000000",
    "COUNTER_APP_BOOKING_NIK_PER_HOUR": "1000000",
    "COUNTER_APP_BOOKING_NIK_BURST": "1000",
    "COUNTER_APP_BOOKING_PER_BLOCK_PER_DAY": "1000000",
    "COUNTER_APP_PUBLIC_PER_SECOND": "1000000",
    "COUNTER_APP_PUBLIC_BURST": "1000000",
    "COUNTER_APP_TOKEN_TTL_HOURS": "36",
    "COUNTER_APP_LOG_LEVEL": "warning",
}


class ServerStartError(RuntimeError):
    """The throw-away server did not come up; the message holds its log's tail."""


@dataclass(frozen=True)
class LocalServer:
    url: str
    admin: str
    password: str
    db_url: str
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database(db_url: str, loaded: LoadedProfile, password: str) -> None:
    """Create the schema, the profile's office and an admin, all with ``password``."""
    from counter_app.config import Settings
    from counter_app.server.app import open_database
    from counter_app.store.office import add_admin
    from counter_app.store.office_file import apply_office

    now = datetime.now(UTC)
    db = open_database(Settings(db_url=db_url))
    try:
        with db.write() as session:
            apply_office(
                session,
                loaded.office,
                Actor(username="simulate", role=Role.ADMIN),
                now,
                lambda _user, _env: password,
            )
            add_admin(session, ADMIN, password, now)
    finally:
        db.dispose()


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise ServerStartError(f"the simulation server stopped at start:\n{tail}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/api/v1/health", timeout=2).ok:
                return
        time.sleep(0.1)
    raise ServerStartError(f"the simulation server did not answer within {START_TIMEOUT_SECONDS} s")


@contextlib.contextmanager
def local_server(
    loaded: LoadedProfile, start: datetime, *, keep_dir: Path | None = None
) -> Iterator[LocalServer]:
    """A server on a fresh simulation database whose clock stands at ``start``."""
    folder = Path(tempfile.mkdtemp(prefix="counter-app-sim-"))
    db_url = f"sqlite:///{folder / 'office.sim.sqlite3'}"
    password = secrets.token_urlsafe(12)
    prepare_database(db_url, loaded, password)
    port = free_port()
    log = folder / "server.log"
    command = [
        sys.executable,
        "-m",
        "counter_app",
        "server",
        "--db",
        db_url,
        "--port",
        str(port),
        "--simulation-clock",
        "--sim-start",
        start.isoformat(),
        "--sim-speed",
        "0",
    ]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **SERVER_ENVIRONMENT},
            start_new_session=True,
        )
    try:
        wait_until_up(url, process, log)
        yield LocalServer(url, ADMIN, password, db_url, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if keep_dir is not None:
            keep_dir.mkdir(parents=True, exist_ok=True)
            for item in folder.iterdir():
                shutil.copy2(item, keep_dir / item.name)
        shutil.rmtree(folder, ignore_errors=True)
