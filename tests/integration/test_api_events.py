"""Server-Sent Events over raw HTTP: order, gap-free ids, resume with Last-Event-ID, the
snapshot hand-over, heartbeats."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests

from tests.conftest import Running
from tests.support.http import Api
from tests.support.queue_ops import (
    act,
    call_next,
    issue,
    journal_seq,
    set_state,
    snapshot,
    waiting_numbers,
)
from tests.support.sse import EventStream, Message


def stream(running: Running, **kw: Any) -> EventStream:
    return EventStream(
        running.server.url, running.office.branch_id, running.office.display_token, **kw
    )


def check_frames(events: list[Message], first_id: int) -> None:
    """Consecutive ids from ``first_id``; each frame's fields agree with its data."""
    assert [e.id for e in events] == list(range(first_id, first_id + len(events)))
    for event in events:
        assert event.data is not None
        assert (event.data["seq"], event.data["kind"]) == (event.id, event.event)
        assert event.data["branch_id"]


class Issuer:
    """Issues ``count`` tickets from another thread, spread over the given services."""

    def __init__(self, kiosk: Api, service_ids: list[int], count: int) -> None:
        self.api = Api(kiosk.base, kiosk.token)  # its own session: one per thread
        self.service_ids = service_ids
        self.count = count
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._work)
        self.thread.start()

    def _work(self) -> None:
        try:
            for i in range(self.count):
                issue(self.api, self.service_ids[i % len(self.service_ids)])
        except BaseException as exc:  # reported by join(), in the test's thread
            self.errors.append(exc)

    def join(self) -> None:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the issuing thread hung"
        assert self.errors == []


def test_events_arrive_in_order_with_consecutive_ids(running: Running) -> None:
    office = running.office
    petugas1 = running.login("petugas1")
    with stream(running) as live:
        assert live.response.status_code == 200
        assert live.response.headers["content-type"].startswith("text/event-stream")
        assert live.response.headers["cache-control"] == "no-cache"
        hello = live.next_message(time.monotonic() + 5)
        assert (hello.retry, hello.comments, hello.is_event) == (2000, ["connected"], False)
        seq = journal_seq(petugas1, office.branch_id)

        first = issue(running.kiosk, office.services["A"])
        issue(running.kiosk, office.services["A"])
        set_state(petugas1, office.counters[1], "open")
        call_next(petugas1, office.counters[1])
        act(petugas1, first["id"], "start")
        act(petugas1, first["id"], "finish")
        events = live.events(6)
        check_frames(events, seq + 1)
        assert [e.event for e in events] == [
            "ticket.issued",
            "ticket.issued",
            "counter.state",
            "ticket.called",
            "ticket.started",
            "ticket.finished",
        ]
        tickets = [(e.data or {}).get("ticket") or {} for e in events]
        assert [(t.get("number"), t.get("state")) for t in tickets] == [
            ("A-001", "waiting"),
            ("A-002", "waiting"),
            (None, None),
            ("A-001", "called"),
            ("A-001", "serving"),
            ("A-001", "done"),
        ]
        counter = (events[2].data or {})["counter"]
        assert (counter["number"], counter["state"]) == (1, "open")
        assert (events[3].data or {})["data"] == {"reason": "regular"}
        assert (events[3].data or {})["counter"]["current_ticket_id"] == first["id"]

        # Writers in parallel: every event once, ids still consecutive in commit order.
        issuers = [
            Issuer(running.kiosk, [office.services["B"], office.services["C"]], 6) for _ in range(3)
        ]
        burst = live.events(18, timeout=30)
        for issuer in issuers:
            issuer.join()
        check_frames(burst, seq + 7)
        numbers = sorted((e.data or {})["ticket"]["number"] for e in burst)
        assert numbers == sorted(
            [f"B-{i:03d}" for i in range(1, 10)] + [f"C-{i:03d}" for i in range(1, 10)]
        )
        assert live.events_until_heartbeat() == []


@pytest.mark.slow
def test_reconnect_with_last_event_id_replays_exactly_what_was_missed(running: Running) -> None:
    office = running.office
    petugas1 = running.login("petugas1")
    seq = journal_seq(petugas1, office.branch_id)
    with stream(running, last_event_id=seq) as first:
        issued = [issue(running.kiosk, office.services["A"]) for _ in range(3)]
        seen = first.events(3)
    check_frames(seen, seq + 1)

    # Disconnected: four changes happen meanwhile.
    issue(running.kiosk, office.services["A"])
    issue(running.kiosk, office.services["B"])
    set_state(petugas1, office.counters[1], "open")
    call_next(petugas1, office.counters[1])
    last_seen = seen[-1].id
    with stream(running, last_event_id=last_seen) as resumed:
        missed = resumed.events_until_heartbeat()
        check_frames(missed, seq + 4)
        assert [e.event for e in missed] == [
            "ticket.issued",
            "ticket.issued",
            "counter.state",
            "ticket.called",
        ]
        # ... then live events follow without a gap or a repeat.
        act(petugas1, issued[0]["id"], "recall")
        live = resumed.events(1)
        assert [(e.id, e.event) for e in live] == [(seq + 8, "ticket.recalled")]
        assert resumed.events_until_heartbeat() == []
    # ?after= is the same resume point, for clients that cannot set headers.
    with stream(running, after=seq + 6) as by_query:
        assert [e.id for e in by_query.events_until_heartbeat()] == [seq + 7, seq + 8]
    with stream(running, last_event_id=0) as everything:
        all_events = everything.events_until_heartbeat()
    check_frames(all_events, 1)
    assert all_events[-1].id == seq + 8

    # Resuming while writes go on: the replay/live seam neither drops nor repeats an event.
    start = journal_seq(petugas1, office.branch_id)
    writer = Issuer(running.kiosk, [office.services["C"], office.services["D"]], 15)
    with stream(running, last_event_id=start) as racing:
        events = racing.events(15, timeout=30)
        writer.join()
        assert racing.events_until_heartbeat() == []
    check_frames(events, start + 1)


def test_snapshot_seq_then_stream_from_it_misses_nothing(running: Running) -> None:
    office = running.office
    petugas2 = running.login("petugas2")
    issue(running.kiosk, office.services["A"])
    issue(running.kiosk, office.services["B"])
    set_state(petugas2, office.counters[2], "open")

    # Tickets keep coming while the first paint is taken.
    writer = Issuer(running.kiosk, [office.services["A"], office.services["B"]], 12)
    time.sleep(0.05)
    snap = snapshot(petugas2, office.branch_id)
    waiting = {
        q["service"]["prefix"]: [t["number"] for t in q["waiting"]] for q in snap["services"]
    }
    call_next(petugas2, office.counters[2])
    writer.join()
    final_seq = journal_seq(petugas2, office.branch_id)

    # Apply the stream from the snapshot's seq to the snapshot: it must give today's queue.
    with stream(running, after=snap["seq"]) as live:
        events = live.events(final_seq - snap["seq"], timeout=30)
        assert live.events_until_heartbeat() == []
    check_frames(events, snap["seq"] + 1)
    for event in events:
        ticket = (event.data or {})["ticket"]
        queue = waiting[ticket["prefix"]]
        if event.event == "ticket.issued":
            assert ticket["number"] not in queue
            queue.append(ticket["number"])
        elif event.event == "ticket.called":
            queue.remove(ticket["number"])
    assert waiting == waiting_numbers(petugas2, office.branch_id)
    assert sum(len(q) for q in waiting.values()) == 13  # 2 + 12 issued, 1 called


def test_heartbeats_keep_an_idle_stream_alive(running: Running) -> None:
    # Browsers' EventSource cannot send headers: the token may come in the query string.
    with stream(running, token_in_query=True) as idle:
        assert idle.response.status_code == 200
        assert "access_token" in (idle.response.request.url or "")
        comments: list[str] = []
        deadline = time.monotonic() + 6  # heartbeat_seconds is 1 in tests
        while comments.count("heartbeat") < 2:
            message = idle.next_message(deadline)
            assert not message.is_event, message
            comments.extend(message.comments)
    assert comments == ["connected", "heartbeat", "heartbeat"]
    # Without a token the stream is refused before it starts.
    response = requests.get(
        f"{running.server.url}/api/v1/branches/{running.office.branch_id}/events", timeout=10
    )
    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")
