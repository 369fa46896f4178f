"""Run the app under uvicorn so that stopping is prompt even with event streams open.

uvicorn waits for open responses before the app's own shutdown runs, and an event stream never
ends by itself, so every stop used to wait out the grace period and then cancel the streams
with an error in the log. Here the broker ends its streams first; clients reconnect (to this
server once it is back, or to another process) and resume from their last event.
"""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI

from counter_app.server.broker import Broker

SHUTDOWN_GRACE_SECONDS = 5


class StreamAwareServer(uvicorn.Server):
    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        app = self.config.app
        broker = getattr(getattr(app, "state", None), "broker", None)
        if isinstance(broker, Broker):
            broker.end_streams()
        await super().shutdown(sockets)


def config(
    app: FastAPI,
    host: str,
    port: int,
    log_level: str = "info",
    trusted_proxies: str = "127.0.0.1",
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        forwarded_allow_ips=trusted_proxies,  # COUNTER_APP_TRUSTED_PROXIES
    )


def serve(
    app: FastAPI, host: str, port: int, log_level: str = "info", trusted_proxies: str = "127.0.0.1"
) -> None:
    StreamAwareServer(config(app, host, port, log_level, trusted_proxies)).run()
