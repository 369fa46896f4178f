"""A minimal keep-alive HTTP/1.1 client on asyncio streams.

Benchmarks run the load generator on the same 2-core machine as the server; requests costs
about a millisecond of CPU per call, which would steal the server's core. This costs a small
fraction of that, so the numbers measure the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        try:
            return await self._request_once(method, path, body, headers)
        except (ConnectionError, IndexError, asyncio.IncompleteReadError):
            # The server closed an idle keep-alive connection: open a new one and resend
            # (mutating requests carry an idempotency key, so a resend is safe).
            await self.close()
            self.reader = self.writer = None
            return await self._request_once(method, path, body, headers)

    async def _request_once(
        self, method: str, path: str, body: Any, headers: dict[str, str] | None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        if body is None:
            payload = b""
        elif isinstance(body, bytes):  # already encoded (e.g. gzip JSON)
            payload = body
        else:
            payload = json.dumps(body).encode()
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(payload)}",
        ]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self.reader.readexactly(length) if length else b""
        return status, data
