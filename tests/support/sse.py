"""Read a Server-Sent Events stream over plain requests, with a hard deadline on every wait.

The server sends heartbeat comments (every second in tests), so a read never blocks for long;
each helper still checks its own deadline and fails the test instead of hanging.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import requests


@dataclass
class Message:
    """One SSE block: its fields, or only comments (``: heartbeat``)."""

    id: int | None = None
    event: str | None = None
    data: dict[str, Any] | None = None
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def is_event(self) -> bool:
        return self.event is not None or self.data is not None


def parse_block(block: str) -> Message:
    message = Message()
    data_lines: list[str] = []
    for line in block.split("\n"):
        if line.startswith(":"):
            message.comments.append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "id":
            message.id = int(value)
        elif name == "event":
            message.event = value
        elif name == "data":
            data_lines.append(value)
        elif name == "retry":
            message.retry = int(value)
    if data_lines:
        message.data = json.loads("\n".join(data_lines))
    return message


class EventStream:
    """``GET /api/v1/branches/{id}/events`` as an iterator of parsed messages."""

    def __init__(
        self,
        base_url: str,
        branch_id: int,
        token: str | None,
        *,
        last_event_id: str | int | None = None,
        after: int | None = None,
        token_in_query: bool = False,
        timeout: float = 10.0,
    ) -> None:
        headers = {"Accept": "text/event-stream"}
        params: dict[str, str] = {}
        if token and token_in_query:  # as a browser's EventSource must send it
            params["access_token"] = token
        elif token:
            headers["Authorization"] = f"Bearer {token}"
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        if after is not None:
            params["after"] = str(after)
        self.response = requests.get(
            f"{base_url}/api/v1/branches/{branch_id}/events",
            headers=headers,
            params=params,
            stream=True,
            timeout=(5, timeout),
        )
        self._chunks: Iterator[bytes] = self.response.iter_content(chunk_size=None)
        self._buffer = b""

    def __enter__(self) -> EventStream:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.response.close()

    def next_message(self, deadline: float) -> Message:
        while b"\n\n" not in self._buffer:
            if time.monotonic() > deadline:
                raise AssertionError(f"no complete SSE message in time; have {self._buffer!r}")
            chunk = next(self._chunks, None)
            if chunk is None:
                raise AssertionError(f"event stream ended; left over {self._buffer!r}")
            self._buffer += chunk
        block, self._buffer = self._buffer.split(b"\n\n", 1)
        return parse_block(block.decode("utf-8"))

    def events(self, count: int, timeout: float = 10.0) -> list[Message]:
        """The next ``count`` events (comments skipped); fails if they do not come in time."""
        deadline = time.monotonic() + timeout
        found: list[Message] = []
        while len(found) < count:
            message = self.next_message(deadline)
            if message.is_event:
                found.append(message)
        return found

    def events_until_heartbeat(self, timeout: float = 5.0) -> list[Message]:
        """Every event before the next heartbeat comment: with the stream idle, that is all
        the server had to send (heartbeats go out only after a quiet interval)."""
        deadline = time.monotonic() + timeout
        found: list[Message] = []
        while True:
            message = self.next_message(deadline)
            if message.is_event:
                found.append(message)
            elif "heartbeat" in message.comments:
                return found
