"""The server in a background thread of another program (``counter-app demo`` with windows).

Qt must own the main thread of a windowed process, so there the server runs beside it: the
same app and server class as ``counter-app server``, started in a daemon thread and waited for
until it listens, and stopped (event streams ended at once) when the windows are done.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from fastapi import FastAPI

from counter_app.server import serving
from counter_app.server.serving import StreamAwareServer

START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0


class BackgroundServer:
    def __init__(self, app: FastAPI, host: str, port: int, log_level: str = "info") -> None:
        # Clients in this process connect over loopback when the server listens everywhere.
        here = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else host
        self.url = f"http://{here}:{port}"
        self._server = StreamAwareServer(serving.config(app, host, port, log_level))
        self._thread = threading.Thread(target=self._server.run, name="server", daemon=True)

    def start(self, timeout: float = START_TIMEOUT_SECONDS) -> BackgroundServer:
        """Start and wait until it accepts connections; raise if it stops or takes too long
        (a port already in use ends the thread: uvicorn logs why)."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the server at {self.url} did not start (see the log above)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server at {self.url} did not start in {timeout:.0f} s")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
        """Ask the server to stop and wait for it; True if it ended in time."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
