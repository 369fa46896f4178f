"""A local TCP listener standing in for a network receipt printer (raw port 9100).

It records every byte it receives and answers the real-time status requests ``DLE EOT n``
the way an ESC/POS printer does (one status byte), with answers the test chooses. With
``close_after`` it reads that many ticket bytes and then drops the connection with a reset:
a printer switched off halfway through a ticket.
"""

from __future__ import annotations

import socket
import struct
import threading
from types import TracebackType

DLE_EOT = b"\x10\x04"
PAPER_OK = 0x12  # paper sensor: paper present (fixed bits only)
PAPER_LOW = 0x1E  # near-end sensor bits set
PAPER_OUT = 0x72  # end sensor bits set
ONLINE = 0x12
OFFLINE = 0x1A  # bit 3: offline


class PrinterListener:
    def __init__(
        self,
        *,
        paper: int | None = PAPER_OK,
        online: int | None = ONLINE,
        close_after: int | None = None,
    ) -> None:
        self.paper = paper  # None: stay silent
        self.online = online
        self.close_after = close_after
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.received: list[bytes] = []  # one entry per connection
        self.connected = threading.Event()
        self.closed = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> PrinterListener:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connected.set()
            with conn:
                self._talk(conn)
            self.closed.set()

    def _talk(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        data = b""
        self.received.append(b"")
        ticket_bytes = 0
        while not self._stop.is_set():
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            if self.close_after is not None and data:  # the paper query has been answered
                ticket_bytes += len(chunk)
                if ticket_bytes >= self.close_after:
                    data += chunk[: len(chunk) - (ticket_bytes - self.close_after)]
                    self.received[-1] = data
                    # A reset, not a polite close: the sender's next write or read fails.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
            data += chunk
            self.received[-1] = data
            if data[-3:-1] == DLE_EOT:
                answer = self.paper if data[-1] == 4 else self.online
                if answer is not None:
                    conn.sendall(bytes([answer]))
