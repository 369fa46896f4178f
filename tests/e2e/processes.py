"""Real server processes for end-to-end tests, and a minimal Server-Sent Events reader.

Every server here is ``python -m counter_app server`` in its own process (own session, so a
kill reaches nothing else), logging to a file whose tail goes into failure messages. Every wait
is bounded. ``ServerPool`` remembers what it started and ends it all, so a failing test leaves
no process behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support.ports import free_port

PASSWORD = "e2e-password-1"
PASSWORD_ENV = "COUNTER_APP_E2E_PASSWORD"
KIOSK_NAME = "Kiosk e2e"
API = "/api/v1"
# Log lines that mean the server hit something it did not expect (our format and uvicorn's).
_ALARMS = ("Traceback (most recent call last)", " ERROR ", " CRITICAL ")
_ALARM_STARTS = ("ERROR:", "CRITICAL:")


def _server_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_APP_")}
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "COUNTER_APP_HEARTBEAT_SECONDS": "1",
            "COUNTER_APP_LOG_LEVEL": "info",
            PASSWORD_ENV: PASSWORD,
        }
    )
    env.update(extra or {})
    return env


class ServerProcess:
    """One ``counter_app server`` subprocess on a free loopback port."""

    def __init__(
        self,
        db_url: str,
        log_path: Path,
        *,
        name: str = "server",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.db_url = db_url
        self.log_path = log_path
        self.name = name
        self.port = 0
        self._env = _server_env(env)
        self._proc: subprocess.Popen[bytes] | None = None
        self.killed = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        """Start the process and wait until ``/health`` answers; retry once on a port clash."""
        for attempt in range(2):
            self.port = free_port()
            with self.log_path.open("ab") as log:
                log.write(f"--- start {self.name} on port {self.port} ---\n".encode())
                log.flush()
                self._proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "counter_app",
                        "server",
                        "--db",
                        self.db_url,
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(self.port),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=self._env,
                    start_new_session=True,
                )
            self.killed = False
            if self._wait_healthy(timeout):
                return self
            clash = "address already in use" in self.log_text().lower()
            self.kill()
            if not clash or attempt == 1:
                break
        raise RuntimeError(f"{self.name} did not become healthy\n{self.log_tail()}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                return False
            try:
                if requests.get(f"{self.url}{API}/health", timeout=2).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = 20.0) -> bool:
        """SIGTERM and wait; SIGKILL if it does not end in time. True if it ended by itself."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return True
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            self.kill()
            return False

    def kill(self) -> None:
        """``kill -9`` the whole process group and reap it."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            self.killed = True
        proc.wait(10)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        tail = "\n".join(self.log_text().splitlines()[-lines:])
        return f"--- last log lines of {self.name} ({self.log_path}) ---\n{tail}"

    def alarms(self) -> list[str]:
        """Log lines that show an unexpected error (tracebacks, ERROR records)."""
        return [
            line
            for line in self.log_text().splitlines()
            if line.startswith(_ALARM_STARTS) or any(a in line for a in _ALARMS)
        ]


@dataclass(frozen=True)
class Backend:
    """A database for server processes, and how many of them a test starts on it (the
    ``backend`` fixture: one on SQLite, two sharing PostgreSQL)."""

    db_url: str
    processes: int


@dataclass
class ServerPool:
    """Starts servers for one test and guarantees they all end with it."""

    log_dir: Path
    started: list[ServerProcess] = field(default_factory=list)

    def start(self, db_url: str, name: str) -> ServerProcess:
        server = ServerProcess(db_url, self.log_dir / f"{name}.log", name=name)
        self.started.append(server)
        return server.start()

    def close(self) -> None:
        for server in self.started:
            server.stop(timeout=10)

    def logs(self) -> str:
        return "\n".join(s.log_tail() for s in self.started)

    def assert_no_alarms(self) -> None:
        found = {s.name: s.alarms() for s in self.started if s.alarms()}
        assert not found, f"servers logged errors: {found}\n{self.logs()}"


# --- office set-up via the CLI ---------------------------------------------------------------


def office_toml(
    *, counters: int, prefixes: tuple[str, ...] = ("A",), code: str = "e2e", officers: bool = True
) -> str:
    """An office file for ``counter-app setup``: ``counters`` counters serving every service,
    officer ``officerNN`` assigned to counter NN, a supervisor, and one kiosk."""
    lines = [
        "[[branch]]",
        f'code = "{code}"',
        'name = "Kantor Uji"',
        'timezone = "Asia/Jakarta"',
    ]
    for position, prefix in enumerate(prefixes, start=1):
        lines += [
            "[[branch.service]]",
            f'prefix = "{prefix}"',
            f'name = "Layanan {prefix}"',
            f"position = {position}",
        ]
    services = ", ".join(f'"{p}"' for p in prefixes)
    for number in range(1, counters + 1):
        lines += [
            "[[branch.counter]]",
            f"number = {number}",
            f'name = "Loket {number}"',
            f"services = [{services}]",
        ]
    lines += [
        "[[branch.user]]",
        'username = "supervisor"',
        'role = "supervisor"',
        f'password_env = "{PASSWORD_ENV}"',
    ]
    for number in range(1, counters + 1 if officers else 1):
        lines += [
            "[[branch.user]]",
            f'username = "{officer_name(number)}"',
            f'password_env = "{PASSWORD_ENV}"',
            f"counters = [{number}]",
        ]
    lines += ["[[branch.device]]", 'kind = "kiosk"', f'name = "{KIOSK_NAME}"']
    return "\n".join(lines) + "\n"


def officer_name(counter_number: int) -> str:
    return f"officer{counter_number:02d}"


def run_setup(db_url: str, toml_text: str, work_dir: Path, timeout: float = 120.0) -> str:
    """Apply an office file with ``counter_app setup``; return the kiosk's device token."""
    path = work_dir / "office.toml"
    path.write_text(toml_text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "counter_app", "setup", "--db", db_url, str(path)],
        capture_output=True,
        text=True,
        env=_server_env(),
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"setup failed:\n{done.stdout}\n{done.stderr}"
    marker = f"device token for {KIOSK_NAME!r} (shown once): "
    for line in done.stdout.splitlines():
        if line.startswith(marker):
            return line[len(marker) :].strip()
    raise AssertionError(f"setup printed no kiosk token:\n{done.stdout}")


# --- HTTP ----------------------------------------------------------------------------------


class Client:
    """A requests session with a bearer token; every mutating call carries an Idempotency-Key."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0) -> None:
        self.base = base_url.rstrip("/") + API
        self.session = requests.Session()
        self.timeout = timeout
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, timeout=self.timeout)

    def post(self, path: str, body: Any = None, key: str | None = None) -> requests.Response:
        return self.session.post(
            self.base + path,
            json=body,
            headers={"Idempotency-Key": key or os.urandom(12).hex()},
            timeout=self.timeout,
        )

    def close(self) -> None:
        self.session.close()


def login(base_url: str, username: str) -> Client:
    r = requests.post(
        f"{base_url}{API}/auth/login",
        json={"username": username, "password": PASSWORD},
        timeout=60,
    )
    assert r.status_code == 200, f"login {username}: {r.status_code} {r.text}"
    return Client(base_url, r.json()["token"])


def branch_of(client: Client) -> int:
    r = client.get("/auth/me")
    assert r.status_code == 200, r.text
    return int(r.json()["branch_id"])


def service_ids(client: Client, branch_id: int) -> dict[str, int]:
    r = client.get(f"/branches/{branch_id}/snapshot")
    assert r.status_code == 200, r.text
    return {q["service"]["prefix"]: int(q["service"]["id"]) for q in r.json()["services"]}


def counter_ids(client: Client, branch_id: int) -> dict[int, int]:
    r = client.get(f"/branches/{branch_id}/snapshot")
    assert r.status_code == 200, r.text
    return {int(c["number"]): int(c["id"]) for c in r.json()["counters"]}


def journal_head(client: Client, branch_id: int) -> int:
    r = client.get(f"/branches/{branch_id}/snapshot")
    assert r.status_code == 200, r.text
    return int(r.json()["seq"])


# --- Server-Sent Events ------------------------------------------------------------------


@dataclass(frozen=True)
class SseEvent:
    id: int
    kind: str
    data: dict[str, Any]

    @property
    def ticket_id(self) -> int | None:
        ticket = self.data.get("ticket")
        return int(ticket["id"]) if ticket else None


class StreamEndedError(Exception):
    """The server closed the stream (or the connection failed)."""


class SseReader:
    """Reads one event stream on a background thread; the test takes events with timeouts.

    The constructor returns once the response headers have arrived, which is after the
    server registered the subscription."""

    def __init__(
        self, base_url: str, token: str, branch_id: int, last_event_id: int | None = None
    ) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self._response = requests.get(
            f"{base_url}{API}/branches/{branch_id}/events",
            headers=headers,
            stream=True,
            timeout=(10, 30),  # heartbeats every second keep the read timeout from firing
        )
        if self._response.status_code != 200:
            text = self._response.text
            self._response.close()
            raise AssertionError(f"event stream: {self._response.status_code} {text}")
        self._events: queue.Queue[SseEvent | BaseException] = queue.Queue()
        self._stop = threading.Event()
        self.comments = 0
        self._thread = threading.Thread(target=self._read, name="sse-reader", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for event in self._parse(self._response.iter_content(chunk_size=None)):
                if self._stop.is_set():
                    break
                self._events.put(event)
            self._events.put(StreamEndedError("the server ended the stream"))
        except BaseException as exc:  # handed to the reading test, never lost
            self._events.put(StreamEndedError(f"stream failed: {exc!r}"))

    def _parse(self, chunks: Iterator[bytes]) -> Iterator[SseEvent]:
        buffer = b""
        fields: dict[str, str] = {}
        for chunk in chunks:
            buffer += chunk
            while b"\n" in buffer:
                raw, buffer = buffer.split(b"\n", 1)
                line = raw.rstrip(b"\r").decode("utf-8")
                if line == "":
                    if "data" in fields:
                        data = json.loads(fields["data"])
                        yield SseEvent(int(fields["id"]), fields.get("event", "message"), data)
                    fields = {}
                elif line.startswith(":"):
                    self.comments += 1
                else:
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name == "data" and "data" in fields:
                        value = fields["data"] + "\n" + value
                    fields[name] = value
            if self._stop.is_set():
                return

    def next(self, timeout: float) -> SseEvent:
        try:
            item = self._events.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no event within {timeout} s") from None
        if isinstance(item, BaseException):
            self._events.put(item)  # stays ended for later calls too
            raise item
        return item

    def until(self, seq: int, timeout: float) -> list[SseEvent]:
        """Events up to and including id ``seq`` (all of them within ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        got: list[SseEvent] = []
        while not got or got[-1].id < seq:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                last = got[-1].id if got else None
                raise TimeoutError(f"waited {timeout} s for event {seq}; last was {last}")
            got.append(self.next(remaining))
        return got

    def take(self, count: int, timeout: float) -> list[SseEvent]:
        deadline = time.monotonic() + timeout
        return [self.next(max(0.0, deadline - time.monotonic())) for _ in range(count)]

    def drain(self, quiet: float) -> list[SseEvent]:
        """Whatever else arrives until nothing has for ``quiet`` seconds (to catch extras)."""
        got: list[SseEvent] = []
        while True:
            try:
                got.append(self.next(quiet))
            except TimeoutError:
                return got

    def close(self) -> None:
        self._stop.set()
        self._response.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SseReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def check_consecutive(events: list[SseEvent], first: int) -> None:
    """Ids must run ``first, first+1, …`` with no gap, repeat or reordering."""
    ids = [e.id for e in events]
    expected = list(range(first, first + len(ids)))
    if ids != expected:
        bad = next(i for i, (a, b) in enumerate(zip(ids, expected, strict=True)) if a != b)
        raise AssertionError(
            f"event ids not consecutive from {first}: at position {bad} got "
            f"{ids[max(0, bad - 3) : bad + 4]}, expected {expected[max(0, bad - 3) : bad + 4]}"
        )
