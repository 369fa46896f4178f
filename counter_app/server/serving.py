"""Run the app under uvicorn so that stopping is prompt even with event streams open.

uvicorn waits for open responses before the app's own shutdown runs, and an event stream never
ends by itself, so every stop used to wait out the grace period and then cancel the streams
with an error in the log. Here the broker ends its streams first; clients reconnect (to this
server once it is back, or to another process) and resume from their last event.
"""

from __future__ import annotations

import socket
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from counter_app.server.broker import Broker
from counter_app.server.log_redaction import install_access_log_redaction

SHUTDOWN_GRACE_SECONDS = 5
TlsFiles = tuple[Path, Path]  # certificate (PEM), private key (PEM)


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
    tls: TlsFiles | None = None,
    trusted_proxies: str = "127.0.0.1",
) -> uvicorn.Config:
    """uvicorn's configuration; with ``tls`` (certificate, key) it serves HTTPS, and it
    believes X-Forwarded-For from ``trusted_proxies`` (COUNTER_APP_TRUSTED_PROXIES)."""
    made = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        ssl_certfile=str(tls[0]) if tls else None,
        ssl_keyfile=str(tls[1]) if tls else None,
        forwarded_allow_ips=trusted_proxies,  # COUNTER_APP_TRUSTED_PROXIES
    )
    install_access_log_redaction()  # after uvicorn's logging set-up, which Config just did
    return made


def serve(
    app: FastAPI,
    host: str,
    port: int,
    log_level: str = "info",
    tls: TlsFiles | None = None,
    trusted_proxies: str = "127.0.0.1",
) -> None:
    StreamAwareServer(config(app, host, port, log_level, tls, trusted_proxies)).run()
