"""Office traffic for event tests: kiosks issuing and counters calling, from many threads, with
a tally of the journal events each acknowledged request must have caused."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tests.e2e.processes import Client, SseEvent

EventKey = tuple[str, int | None]  # (kind, ticket id)


@dataclass
class Tally:
    expected: Counter[EventKey] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *keys: EventKey) -> None:
        with self.lock:
            self.expected.update(keys)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    @property
    def total(self) -> int:
        return sum(self.expected.values())


def issue(kiosk: Client, service_id: int, count: int, tally: Tally) -> None:
    for _ in range(count):
        r = kiosk.post("/tickets", {"service_id": service_id})
        if r.status_code != 201:
            tally.error(f"issue: {r.status_code} {r.text[:300]}")
            return
        tally.add(("ticket.issued", int(r.json()["id"])))


def open_counter(officer: Client, counter_id: int, tally: Tally) -> None:
    r = officer.post(f"/counters/{counter_id}/state", {"state": "open"})
    if r.status_code != 200:
        tally.error(f"open {counter_id}: {r.status_code} {r.text[:300]}")
        return
    tally.add(("counter.state", None))


def serve(officer: Client, counter_id: int, calls: int, tally: Tally, timeout: float = 120) -> None:
    """Press "next" (finish the current ticket, call the next) until ``calls`` tickets were
    called; waits briefly when the queue is empty."""
    deadline = time.monotonic() + timeout
    while calls > 0:
        if time.monotonic() > deadline:
            tally.error(f"counter {counter_id} still had {calls} calls to make")
            return
        r = officer.post(f"/counters/{counter_id}/call-next", {"finish_current": True})
        if r.status_code != 200:
            tally.error(f"call-next {counter_id}: {r.status_code} {r.text[:300]}")
            return
        body = r.json()
        if body["finished"] is not None:
            tally.add(("ticket.finished", int(body["finished"]["id"])))
        if body["ticket"] is None:
            time.sleep(0.02)
            continue
        tally.add(("ticket.called", int(body["ticket"]["id"])))
        calls -= 1


def run_all(jobs: Sequence[Callable[[], None]], timeout: float = 180) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "traffic threads did not finish in time"


def keys(events: list[SseEvent]) -> Counter[EventKey]:
    return Counter((e.kind, e.ticket_id) for e in events)


def check_ticket_order(events: list[SseEvent]) -> None:
    """Per ticket, the stream shows issued before called before finished."""
    rank = {"ticket.issued": 0, "ticket.called": 1, "ticket.finished": 2}
    seen: dict[int, int] = {}
    for event in events:
        if event.ticket_id is None or event.kind not in rank:
            continue
        step = rank[event.kind]
        assert seen.get(event.ticket_id, -1) < step, (
            f"ticket {event.ticket_id}: {event.kind} (id {event.id}) came out of order"
        )
        seen[event.ticket_id] = step
