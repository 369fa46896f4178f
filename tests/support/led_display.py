"""A simulated serial LED display: a local TCP listener that drivers reach as ``socket://``."""

from __future__ import annotations

import select
import socket
import threading

WAIT = 5.0


class SimulatedDisplay:
    """A TCP listener that records every byte any client sends it."""

    def __init__(self, port: int = 0) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(4)
        self.server.settimeout(0.05)
        self.port: int = self.server.getsockname()[1]
        self.received = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        clients: list[socket.socket] = []
        try:
            while not self._stop.is_set():
                try:
                    conn, _ = self.server.accept()
                    clients.append(conn)
                except TimeoutError:
                    pass
                if clients:
                    readable, _, _ = select.select(clients, [], [], 0.05)
                    for conn in readable:
                        data = conn.recv(4096)
                        if data:
                            with self._lock:
                                self.received += data
                        else:
                            clients.remove(conn)
                            conn.close()
        finally:
            for conn in clients:
                conn.close()

    def data(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAIT)
        self.server.close()
