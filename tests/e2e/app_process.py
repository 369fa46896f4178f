"""``counter-app demo`` as a real subprocess: the server and the counter window in one process.

The window runs on Qt's offscreen platform, with settings in a scratch home (QSettings follow
``XDG_CONFIG_HOME``/``HOME``), so nothing touches the real user's files. Output (the server's
access log and the app's log) goes to a file that the test reads; every wait is bounded, and
the process group always ends with the test.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from tests.e2e.processes import API
from tests.support.ports import free_port

DEMO_PASSWORD = "e2e-demo-password"
_ALARMS = ("Traceback (most recent call last)", " ERROR ", " CRITICAL ")


def _demo_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNTER_APP_", "XDG_"))}
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "COUNTER_APP_DEMO_PASSWORD": DEMO_PASSWORD,
            "COUNTER_APP_HEARTBEAT_SECONDS": "1",
        }
    )
    return env


class DemoApp:
    def __init__(self, db_url: str, work_dir: Path) -> None:
        self.db_url = db_url
        self.home = work_dir / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = work_dir / "demo.log"
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> DemoApp:
        command = [sys.executable, "-m", "counter_app", "demo", "--db", self.db_url]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=_demo_env(self.home),
                start_new_session=True,
            )
        self.wait_for(self._healthy, timeout, "the demo's server to answer")
        return self

    def _healthy(self) -> bool:
        try:
            return requests.get(f"{self.url}{API}/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.running():
                raise AssertionError(f"the demo ended while waiting for {what}\n{self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what}\n{self.tail()}")
            time.sleep(0.05)

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM, as a desktop session or service manager ends it; the exit status."""
        assert self._proc is not None
        self._proc.send_signal(signal.SIGTERM)
        try:
            return self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"the demo did not end {timeout} s after SIGTERM\n{self.tail()}"
            ) from None

    def kill(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    # --- reading its output ---

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 60) -> str:
        text = "\n".join(self.log_text().splitlines()[-lines:])
        return f"--- last lines of {self.log_path} ---\n{text}"

    def device_token(self, name: str) -> str:
        marker = f"device token for {name!r}: "
        for line in self.log_text().splitlines():
            if marker in line:
                return line.split(marker, 1)[1].strip()
        raise AssertionError(f"the demo printed no token for {name!r}\n{self.tail()}")

    def requests_seen(self, method: str, path: str) -> int:
        """How many ``method path`` requests the server's access log shows as answered 2xx."""
        pattern = re.compile(rf'"{method} {re.escape(path)} HTTP/1\.1" 2\d\d ')
        return sum(1 for line in self.log_text().splitlines() if pattern.search(line))

    def alarms(self) -> list[str]:
        return [line for line in self.log_text().splitlines() if any(a in line for a in _ALARMS)]
