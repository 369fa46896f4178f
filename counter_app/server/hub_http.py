"""One kept-alive HTTP(S) connection from a branch to its hub (``server.hub_push``).

A busy branch pushes up to twice a second; a new connection per request would cost a TCP (and,
over HTTPS, a TLS) handshake each time, on the branch and on the hub. The connection is made at
the first request, reused while the hub keeps it open, and dropped on any error or when the hub
closes it; the next request makes a new one. A request on a reused connection that the hub had
closed meanwhile is sent once more on a new one (the hub's requests are safe to repeat).

Certificates are checked as the standard library checks them by default (the system's
authorities, the host name), and the ``http(s)_proxy`` environment is honoured for the
connection, as ``urllib`` did before.
"""

from __future__ import annotations

import gzip
import http.client
import json
import select
import threading
import urllib.parse
import urllib.request
from typing import Any

from counter_app import __version__
from counter_app.core.error_codes import ErrorCode

HTTP_TIMEOUT = 5.0
# A kept connection the hub closed shows up as one of these at the next request.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class HubDownError(Exception):
    """The hub did not answer, or answered with a server error: try again later."""


class HubConnection:
    """Requests to the hub on one connection, one at a time (a lock; any thread)."""

    def __init__(self, url: str, key: str, timeout: float = HTTP_TIMEOUT) -> None:
        self.url = url.rstrip("/")
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) address: {url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._base = parts.path
        self._timeout = timeout
        self._headers = {
            "Authorization": f"Bearer {key}",
            "Accept": "application/json",
            "User-Agent": f"counter-app/{__version__}",
        }
        self._lock = threading.Lock()
        self._conn: http.client.HTTPConnection | None = None
        self._proxied = False
        self.opened = 0  # connections made so far

    def _open(self) -> http.client.HTTPConnection:
        proxy = urllib.request.getproxies().get("https" if self._https else "http")
        self._proxied = bool(proxy) and not urllib.request.proxy_bypass(self._host)
        host, port = self._host, self._port
        if self._proxied and proxy:
            where = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
            host, port = where.hostname or "", where.port
        conn: http.client.HTTPConnection
        if self._https:
            conn = http.client.HTTPSConnection(host, port, timeout=self._timeout)
            if self._proxied:
                conn.set_tunnel(self._host, self._port)
                self._proxied = False  # through the tunnel the path is as without a proxy
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self._timeout)
        self.opened += 1
        return conn

    def _target(self, path: str) -> str:
        if self._proxied:  # a plain-HTTP proxy is sent the whole address
            return self.url + path
        return self._base + path

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _closed_by_hub(self, conn: http.client.HTTPConnection) -> bool:
        """An idle kept connection that is readable has been closed (or broken) by the hub."""
        sock = conn.sock
        if sock is None:
            return True
        try:
            readable, _, _ = select.select([sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        """``(status, JSON answer)``; raises HubDownError when the hub is away or failing
        (no answer, 5xx, 429, an unreadable success)."""
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
            body = gzip.compress(body, compresslevel=5)
        with self._lock:
            status, text = self._exchange(method, path, body, headers)
        if 200 <= status < 300:
            try:
                return status, json.loads(text or b"null")
            except ValueError as exc:
                raise HubDownError(f"the hub at {self.url} did not answer: {exc}") from None
        if status >= 500 or status == 429:  # busy or broken: later, with backoff
            raise HubDownError(f"the hub answered {status}")
        try:
            return status, json.loads(text or b"null")
        except ValueError:
            return status, {
                "error": ErrorCode.HTTP_ERROR,
                "message": text[:200].decode(errors="replace"),
            }

    def _exchange(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if self._conn is not None and self._closed_by_hub(self._conn):
            self.close()
        for attempt in (1, 2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn = self._open()
            conn = self._conn
            try:
                conn.request(method, self._target(path), body=body, headers=headers)
                answer = conn.getresponse()
                text = answer.read()
            except _STALE as exc:
                self.close()
                if reused and attempt == 1:  # closed by the hub while idle: once more
                    continue
                raise HubDownError(f"the hub at {self.url} did not answer: {exc}") from None
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.close()  # refused, timeout, TLS, a broken answer: a new one next time
                raise HubDownError(f"the hub at {self.url} did not answer: {exc}") from None
            if answer.will_close:
                self.close()
            return int(answer.status), text
        raise AssertionError("unreachable")  # pragma: no cover
