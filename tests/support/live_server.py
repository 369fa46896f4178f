"""A real uvicorn server on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI

from counter_app.config import Settings
from counter_app.server import serving
from counter_app.server.app import create_app
from counter_app.server.context import Clock, utc_now
from counter_app.server.serving import StreamAwareServer, TlsFiles
from counter_app.server.sim_clock import SimulationClock
from tests.support.ports import free_port


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    settings: Settings


class FrozenClock:
    """A settable clock for tests that cross midnight or need exact times."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def run_server(
    db_url: str,
    *,
    clock: Clock = utc_now,
    port: int | None = None,
    tls: TlsFiles | None = None,
    simulation: SimulationClock | None = None,
    **settings: object,
) -> Iterator[LiveServer]:
    """``port`` fixes the port, e.g. to restart a server where its clients expect it;
    ``tls`` (certificate, key) serves HTTPS; ``simulation``: run on that simulation clock
    (and offer ``/api/v1/sim/clock``)."""
    port = port or free_port()
    settings = {"heartbeat_seconds": 1.0, **settings}
    config = Settings(db_url=db_url, port=port, **settings)  # type: ignore[arg-type]
    app = create_app(config, clock=clock, sweep=False, simulation=simulation)
    # The same server class as `counter-app server`: open event streams end at once on stop.
    server = StreamAwareServer(
        serving.config(app, "127.0.0.1", port, "warning", tls, config.trusted_proxies)
    )
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        scheme = "https" if tls else "http"
        yield LiveServer(url=f"{scheme}://127.0.0.1:{port}", app=app, settings=config)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
