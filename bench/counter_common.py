"""Shared pieces of the counter app benchmarks: a real server process, a real counter window.

The server is ``counter-app demo --headless`` in its own process (so the numbers measured in
this process are the app's alone), on a scratch SQLite file with the demo office. The window
is the real one, built as ``counter-app counter`` builds it after sign-in, with its settings in
a scratch file. Run these as modules from the repository root: ``python -m bench.counter_…``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ctypes
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

# The app's benchmarks drive its Qt windows (the Qt ban is for the Qt-free floors).
from PySide6 import __version__ as pyside_version  # noqa: TID251
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer  # noqa: TID251
from PySide6.QtWidgets import QApplication, QLabel  # noqa: TID251

from counter_app.views.app import ensure_app
from counter_app.views.counter.run import open_counter_window
from counter_app.views.counter.session import open_counter, sign_in
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings

PASSWORD = "bench-demo-password"
WAIT_SECONDS = 10.0


def machine() -> str:
    cpu = platform.processor() or "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PySide6 {pyside_version}, "
        f"Qt platform {os.environ.get('QT_QPA_PLATFORM', 'default')}"
    )


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def rss_mb() -> float:
    """Resident memory of this process now (Linux: VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DemoServer:
    url: str
    kiosk_token: str
    display_token: str


@contextmanager
def demo_server() -> Iterator[DemoServer]:
    """``counter-app demo --headless`` on a scratch database; access log off (it would cost)."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_APP_")}
        env.update(
            {
                "COUNTER_APP_DEMO_PASSWORD": PASSWORD,
                "COUNTER_APP_LOG_LEVEL": "warning",
                "PYTHONUNBUFFERED": "1",
            }
        )
        command = [sys.executable, "-m", "counter_app", "demo", "--headless"]
        command += ["--db", f"sqlite:///{tmp}/bench.sqlite3", "--port", str(port)]
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 (no threads yet; Linux only)
            )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc, log_path)
            log_text = log_path.read_text()
            yield DemoServer(
                url, device_token(log_text, "Kiosk lobi"), device_token(log_text, "TV ruang tunggu")
            )
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def device_token(demo_log: str, device: str) -> str:
    marker = f"device token for {device!r}: "
    line = next(x for x in demo_log.splitlines() if marker in x)
    return line.split(marker, 1)[1].strip()


def _die_with_parent() -> None:
    """In the server process: SIGTERM when this benchmark dies without cleaning up (a crash)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server ended:\n{log_path.read_text()}")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not answer within 60 s")


def counter_window(url: str, scratch: Path) -> tuple[QApplication, CounterWindow]:
    """petugas1's window at Loket 1, loaded and shown."""
    settings = AppSettings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    app = ensure_app(settings)
    session = sign_in(url, "petugas1", PASSWORD)
    counter = session.counter_by_number(1)
    open_counter(session, counter.id)
    window = open_counter_window(session, counter.id, settings)
    window.show()
    wait(lambda: window.controller.board is not None and window.controller.today is not None)
    return app, window


def wait(condition: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
    """Run the Qt loop until ``condition`` holds, checked whenever events have been handled.

    Blocks while nothing happens (no polling timer: PySide6 keeps a little memory for every
    single-shot timer with a Python callable, which would show up in the memory benchmark);
    the window's one-second clock wakes it up to check the deadline."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


class _PaintClock(QObject):
    """Stops the clock at the first paint of ``label`` showing a text other than ``old``."""

    def __init__(self, label: QLabel, loop: QEventLoop, old: str) -> None:
        super().__init__(label)
        self.label = label
        self.loop = loop
        self.old = old
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            self.painted_at is None
            and event.type() == QEvent.Type.Paint
            and self.label.text() != self.old
        ):
            self.painted_at = time.perf_counter()
            self.loop.quit()
        return False


def seconds_until_painted(label: QLabel, act: Callable[[], None], timeout_ms: int) -> float:
    """Seconds from ``act()`` until ``label`` is painted with a new text (what the eye sees)."""
    loop = QEventLoop()
    clock = _PaintClock(label, loop, label.text())
    label.installEventFilter(clock)
    QTimer.singleShot(timeout_ms, loop.quit)
    started = time.perf_counter()
    act()
    loop.exec()
    label.removeEventFilter(clock)
    clock.deleteLater()
    if clock.painted_at is None:
        raise TimeoutError("the new text was not painted in time")
    return clock.painted_at - started
