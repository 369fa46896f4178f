"""The branch's connection to its hub (``server.hub_http``) against a real HTTP/1.1 server:
requests share one kept-alive connection, answers map as the pusher expects (5xx and 429: the
hub is down; other refusals: status and body), and a connection the server dropped, or a
server that is away, costs at most one failed round."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from counter_app.core.error_codes import ErrorCode
from counter_app.server.hub_http import HubConnection, HubDownError
from tests.support.ports import free_port


class _Hub(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0
    bodies: list[bytes]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: _Hub

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        answers = {
            "/ok": (200, b'{"hub_seq": 3}'),
            "/busy": (429, b"slow down"),
            "/broken": (503, b"{}"),
            "/missing": (404, b'{"error": "not_found"}'),
            "/text": (400, b"<html>bad</html>"),
            "/garbled": (200, b"not json"),
        }
        status, body = answers[self.path]
        self._answer(status, body)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.bodies.append(gzip.decompress(self.rfile.read(length)))
        self._answer(200, b'{"ok": true}', close=self.path == "/close")


@pytest.fixture
def hub() -> Iterator[_Hub]:
    server = _Hub(("127.0.0.1", 0), _Handler)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _link(hub: _Hub) -> HubConnection:
    return HubConnection(f"http://127.0.0.1:{hub.server_address[1]}/", "key", timeout=2)


def test_answers_map_and_share_one_connection(hub: _Hub) -> None:
    link = _link(hub)
    try:
        assert link.call("GET", "/ok") == (200, {"hub_seq": 3})
        assert link.call("POST", "/push", b'{"events": []}') == (200, {"ok": True})
        assert hub.bodies == [b'{"events": []}']
        assert link.call("GET", "/missing") == (404, {"error": "not_found"})
        status, body = link.call("GET", "/text")
        assert status == 400 and body["error"] == ErrorCode.HTTP_ERROR
        assert "bad" in body["message"]
        for path in ("/busy", "/broken", "/garbled"):
            with pytest.raises(HubDownError):
                link.call("GET", path)
        assert link.call("GET", "/ok")[0] == 200
        assert hub.connections == 1 and link.opened == 1
    finally:
        link.close()


def test_a_dropped_connection_is_made_again(hub: _Hub) -> None:
    link = _link(hub)
    try:
        assert link.call("POST", "/close", b"{}") == (200, {"ok": True})  # the server closes
        assert link.call("GET", "/ok")[0] == 200
        assert link.call("GET", "/ok")[0] == 200
        assert hub.connections == 2 and link.opened == 2
    finally:
        link.close()


def test_a_hub_away_is_down_and_then_found_again() -> None:
    port = free_port()
    link = HubConnection(f"http://127.0.0.1:{port}", "key", timeout=2)
    try:
        with pytest.raises(HubDownError):
            link.call("GET", "/ok")
        server = _Hub(("127.0.0.1", port), _Handler)
        server.bodies = []
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            assert link.call("GET", "/ok") == (200, {"hub_seq": 3})
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
    finally:
        link.close()
