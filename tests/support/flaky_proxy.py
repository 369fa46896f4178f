"""A TCP relay in front of a live server that misbehaves on purpose, like a bad office LAN.

It can lose answers (the request reaches the server and is applied, then the connection to the
client is cut before the answer gets back), or answer 503 itself without forwarding. It records
what passed through so a test can see how many attempts a client made and with which
``Idempotency-Key``. One request per connection: it asks the server to close after answering.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass
from types import TracebackType

HEAD_LIMIT = 64 * 1024
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"content-length: 79\r\nconnection: close\r\n\r\n"
    b'{"error": "database_unavailable", "message": "The database is not reachable."}\n'
)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    idempotency_key: str | None
    outcome: str  # "answered", "lost" or "503"
    replayed: bool  # the server's answer said Idempotent-Replayed


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > HEAD_LIMIT:
            return None
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _headers(head: bytes) -> dict[str, str]:
    out = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        out[name.strip().lower().decode()] = value.strip().decode()
    return out


def _close_hard(conn: socket.socket) -> None:
    # RST rather than FIN: the client sees the connection die, not an empty answer.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class FlakyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.lose_answers = 0  # the next N answers are lost after the server applied them
        self.answer_503 = 0  # the next N requests are answered 503 and never forwarded
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, name="flaky-proxy", daemon=True)
        self._thread.start()

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(5)

    def __enter__(self) -> FlakyProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _take(self, what: str) -> bool:
        with self._lock:
            left: int = getattr(self, what)
            if left > 0:
                setattr(self, what, left - 1)
                return True
            return False

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            request = _read_request(conn)
            if request is None:
                return
            head, _, body = request.partition(b"\r\n\r\n")
            method, path, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
            key = _headers(head).get("idempotency-key")
            if self._take("answer_503"):
                self._record(Seen(method, path, key, "503", replayed=False))
                conn.sendall(UNAVAILABLE)
                return
            lines = [
                line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")
            ]
            forwarded = b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body
            with socket.create_connection(self.upstream, timeout=30) as up:
                up.sendall(forwarded)
                answer = b""
                while chunk := up.recv(65536):
                    answer += chunk
            replayed = b"idempotent-replayed: true" in answer.partition(b"\r\n\r\n")[0].lower()
            if self._take("lose_answers"):
                self._record(Seen(method, path, key, "lost", replayed))
                _close_hard(conn)
                return
            # Recorded before the client can see the answer, so a test never races the record.
            self._record(Seen(method, path, key, "answered", replayed))
            conn.sendall(answer)

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)
