"""A Server-Sent Events parser: bytes from the wire in, complete events out. No I/O.

It follows the WHATWG "event stream interpretation" rules:

- lines end in CRLF, LF or CR (a CRLF split across two chunks is still one line end);
- a line starting with ``:`` is a comment (the server's heartbeats) and is ignored;
- ``field: value`` (one space after the colon is dropped), or a bare ``field`` with an empty
  value; unknown fields are ignored;
- ``data`` lines accumulate, joined by ``\\n``; an empty line dispatches the event;
- ``id`` sets the last event id (kept for the following events too); an id containing NUL is
  ignored; ``retry`` (digits only) sets the reconnection time in milliseconds;
- an event without data is not dispatched (but its ``id`` still counts);
- at the end of the stream an event that was not ended by an empty line is dropped: it may
  be cut short, and since its id is not taken either, a resume asks for it again.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")
MAX_LINE = 1 << 20  # characters; our events are a few kB, so more means a broken stream


@dataclass(frozen=True, slots=True)
class SseEvent:
    event: str  # "message" when the stream gave no type
    data: str
    id: str | None  # the last event id when this event was dispatched


class SseParser:
    """Feed it chunks in arrival order; it returns the events each chunk completes."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""  # the unfinished line
        self._after_cr = False  # the previous chunk ended in CR: a leading LF is not a line
        self._at_start = True  # a byte-order mark is dropped only at the very start
        self._data: list[str] = []
        self._event = ""
        self._id_buffer: str | None = None
        self.last_event_id: str | None = None
        self.retry_ms: int | None = None

    def feed(self, chunk: bytes | str) -> list[SseEvent]:
        text = self._decoder.decode(chunk) if isinstance(chunk, bytes) else chunk
        if self._at_start and text:
            self._at_start = False
            text = text.removeprefix("\ufeff")
        if self._after_cr and text:
            self._after_cr = False
            text = text.removeprefix("\n")
        events: list[SseEvent] = []
        start = 0
        for match in _LINE_END.finditer(text):
            line = self._buffer + text[start : match.start()]
            self._buffer = ""
            start = match.end()
            if match.group() == "\r" and start == len(text):
                self._after_cr = True
            event = self._line(line)
            if event is not None:
                events.append(event)
        self._buffer += text[start:]
        if len(self._buffer) > MAX_LINE:
            raise ValueError(f"event stream line longer than {MAX_LINE} characters")
        return events

    def close(self) -> None:
        """End of stream: drop whatever event was not finished."""
        self._buffer = ""
        self._data = []
        self._event = ""
        self._id_buffer = self.last_event_id
        self._after_cr = False

    def _line(self, line: str) -> SseEvent | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif field == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> SseEvent | None:
        self.last_event_id = self._id_buffer
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return SseEvent(event=event or "message", data="\n".join(data), id=self.last_event_id)


def parse_events(text: str | bytes) -> list[SseEvent]:
    """Every complete event of a whole stream given at once."""
    parser = SseParser()
    events = parser.feed(text)
    parser.close()
    return events
