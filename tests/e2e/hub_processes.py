"""A real hub process (``counter-app hub``) for end-to-end tests, and branch servers linked to
it. Every wait is bounded; everything started is ended by the fixtures in test_hub.py."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from counter_app.schemas.hub import event_hash
from tests.e2e.processes import PASSWORD, _server_env
from tests.support.ports import free_port

HUB_API = "/hub/v1"


def hub_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counter_app", "hub", *args],
        capture_output=True,
        text=True,
        env=_server_env({"COUNTER_APP_ADMIN_PASSWORD": PASSWORD, **(env or {})}),
        timeout=60,
        check=False,
    )


def add_branch(db_url: str, name: str, region: str | None = None) -> str:
    """Register a branch at the hub with the CLI; return its link key."""
    done = hub_cli("add-branch", name, "--db", db_url, *(("--region", region) if region else ()))
    assert done.returncode == 0, done.stderr
    marker = "link key (shown once): "
    return next(line[len(marker) :] for line in done.stdout.splitlines() if line.startswith(marker))


class HubProcess:
    def __init__(
        self,
        db_url: str,
        log_path: Path,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        # The hub's NIK key file beside its log, never in the user's data directory.
        self.env = {"COUNTER_APP_HUB_NIK_KEY_FILE": str(log_path.parent / "hub-nik-keys")}
        self.env.update(env or {})
        self.db_url = db_url
        self.log_path = log_path
        self.workers = workers
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> HubProcess:
        """Start on ``self.port`` (the same one after a restart: branches keep its address)."""
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "counter_app",
                    "hub",
                    "--db",
                    self.db_url,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=_server_env(self.env),
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._proc.poll() is None, self.log_path.read_text(errors="replace")[-3000:]
            try:
                if requests.get(f"{self.url}{HUB_API}/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"hub did not start\n{self.log_path.read_text()[-3000:]}")

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, *, kill: bool = False) -> None:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def login(self, username: str = "admin") -> requests.Session:
        r = requests.post(
            f"{self.url}{HUB_API}/login",
            json={"username": username, "password": PASSWORD},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {r.json()['token']}"
        return session

    def status(self, session: requests.Session) -> list[dict[str, Any]]:
        r = session.get(f"{self.url}{HUB_API}/branches", timeout=30)
        assert r.status_code == 200, r.text
        rows: list[dict[str, Any]] = r.json()
        return rows

    def copy_of(self, session: requests.Session, branch_id: int) -> list[tuple[int, str, str]]:
        found: list[tuple[int, str, str]] = []
        while True:
            r = session.get(
                f"{self.url}{HUB_API}/branches/{branch_id}/events",
                params={"after": found[-1][0] if found else 0, "limit": 5000},
                timeout=30,
            )
            assert r.status_code == 200, r.text
            page = [(e["seq"], e["kind"], e["hash"]) for e in r.json()]
            found.extend(page)
            if len(page) < 5000:
                return found


def branch_journal(sqlite_path: Path) -> list[tuple[int, str, str]]:
    """(seq, kind, hash) of every event in a branch's SQLite database, read directly."""
    with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT seq, kind, payload FROM events ORDER BY seq").fetchall()
    return [(int(seq), str(kind), event_hash(json.loads(payload))) for seq, kind, payload in rows]


def wait_for(what: str, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def hub_sync(branch_url: str) -> dict[str, Any]:
    r = requests.get(f"{branch_url}/api/v1/health", timeout=10)
    assert r.status_code == 200, r.text
    state: dict[str, Any] = r.json()["hub_sync"]
    return state
