"""The event-stream parser, against hand-written streams with known events."""

from __future__ import annotations

import pytest

from counter_app.client.sse import MAX_LINE, SseEvent, SseParser, parse_events


def feed_in_pieces(stream: bytes, size: int) -> list[SseEvent]:
    parser = SseParser()
    events: list[SseEvent] = []
    for i in range(0, len(stream), size):
        events.extend(parser.feed(stream[i : i + size]))
    parser.close()
    return events


def test_a_frame_as_the_server_writes_it() -> None:
    stream = b'id: 7\nevent: ticket.called\ndata: {"seq": 7}\n\n'
    assert parse_events(stream) == [SseEvent("ticket.called", '{"seq": 7}', "7")]


def test_multi_line_data_is_joined_with_newlines() -> None:
    stream = "data: first\ndata:second\ndata\ndata:  two spaces\n\n"
    (event,) = parse_events(stream)
    # One space after the colon is dropped, a second one is data; a bare "data" is "".
    assert event.data == "first\nsecond\n\n two spaces"
    assert event.event == "message"
    assert event.id is None


def test_comments_and_heartbeats_are_ignored() -> None:
    stream = (
        "retry: 2000\n: connected\n\n"
        ": heartbeat\n\n"
        "id: 1\n: a comment inside an event\ndata: x\n\n"
        ":\n\n"
    )
    parser = SseParser()
    assert parser.feed(stream) == [SseEvent("message", "x", "1")]
    assert parser.retry_ms == 2000


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_every_line_ending(newline: str) -> None:
    stream = newline.join(["id: 3", "event: e", "data: a", "data: b", "", "data: c", "", ""])
    assert parse_events(stream) == [SseEvent("e", "a\nb", "3"), SseEvent("message", "c", "3")]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_chunks_split_anywhere_even_inside_crlf_and_utf8(size: int) -> None:
    stream = "id: 41\r\nevent: ticket.issued\r\ndata: Loket 3 — antrean\r\n\r\n".encode()
    stream += b"id: 42\r\ndata: \xc3\xa9\r\n\r\n"
    assert feed_in_pieces(stream, size) == [
        SseEvent("ticket.issued", "Loket 3 — antrean", "41"),
        SseEvent("message", "é", "42"),
    ]


def test_a_lone_cr_at_the_end_of_a_chunk_then_a_new_line() -> None:
    parser = SseParser()
    assert parser.feed("data: a\r") == []
    # The CR ended the data line; this CR ends the event (not a CRLF's second half).
    assert parser.feed("\r") == [SseEvent("message", "a", None)]
    assert parser.feed("\ndata: b\n\n") == [SseEvent("message", "b", None)]


def test_missing_trailing_blank_line_drops_the_unfinished_event() -> None:
    parser = SseParser()
    events = parser.feed("id: 1\ndata: one\n\nid: 2\ndata: two, cut short")
    assert events == [SseEvent("message", "one", "1")]
    parser.close()
    # The unfinished event's id is not taken, so a resume asks for event 2 again.
    assert parser.last_event_id == "1"
    assert parse_events("id: 1\ndata: one\n\nid: 2\ndata: two\n") == [
        SseEvent("message", "one", "1")
    ]


def test_id_persists_and_an_event_without_data_only_moves_the_id() -> None:
    parser = SseParser()
    events = parser.feed("id: 5\ndata: a\n\ndata: b\n\nid: 9\n\nevent: lonely\n\ndata: c\n\n")
    assert events == [
        SseEvent("message", "a", "5"),
        SseEvent("message", "b", "5"),
        SseEvent("message", "c", "9"),  # "lonely" had no data: not dispatched, type reset
    ]
    assert parser.last_event_id == "9"


def test_odd_fields() -> None:
    stream = "id: 1\0\nretry: soon\nretry: 15x\nfoo: bar\nevent\ndata: z\n\n"
    parser = SseParser()
    # The id with NUL and the non-numeric retries are ignored; "event" alone resets the type.
    assert parser.feed(stream) == [SseEvent("message", "z", None)]
    assert parser.retry_ms is None


def test_a_byte_order_mark_is_dropped_only_at_the_start() -> None:
    assert parse_events("\ufeffdata: a\n\n") == [SseEvent("message", "a", None)]
    parser = SseParser()
    parser.feed("data: a\n\n")
    # Later, U+FEFF is just a character: this line's field name is "\ufeffdata", unknown.
    assert parser.feed("\ufeffdata: b\n\n") == []


def test_a_line_without_end_cannot_grow_without_bound() -> None:
    parser = SseParser()
    with pytest.raises(ValueError, match="longer than"):
        for _ in range(MAX_LINE // 4096 + 2):
            parser.feed("x" * 4096)
