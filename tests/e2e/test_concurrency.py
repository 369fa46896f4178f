"""32+ counters calling next at once over HTTP against 2,000+ tickets, on real server processes.

Every ticket must be called exactly once, none skipped, no error response, and the journal
must hold exactly one ``ticket.called`` event per ticket. On PostgreSQL the counters are split
over two server processes sharing the database, so ``SKIP LOCKED`` is exercised across them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.processes import (
    Backend,
    Client,
    ServerPool,
    SseReader,
    branch_of,
    check_consecutive,
    counter_ids,
    journal_head,
    login,
    office_toml,
    officer_name,
    run_setup,
    service_ids,
)

COUNTERS = 32
TICKETS = 2_000
ISSUERS = 8
CALL_DEADLINE = 180.0


class Laps:
    """Seconds per phase, printed with the test's output."""

    def __init__(self) -> None:
        self.mark = time.monotonic()
        self.laps: dict[str, float] = {}

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self.mark, 1)
        self.mark = now

    def __str__(self) -> str:
        return ", ".join(f"{k} {v} s" for k, v in self.laps.items())


@dataclass
class Outcome:
    """What the threads saw; appended to under a lock."""

    issued: list[int] = field(default_factory=list)
    called: list[tuple[int, int]] = field(default_factory=list)  # (ticket id, counter id)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def _issue(base_url: str, token: str, service_id: int, count: int, out: Outcome) -> None:
    kiosk = Client(base_url, token)
    try:
        for _ in range(count):
            r = kiosk.post("/tickets", {"service_id": service_id})
            if r.status_code != 201:
                out.error(f"issue: {r.status_code} {r.text[:300]}")
                return
            with out.lock:
                out.issued.append(int(r.json()["id"]))
    finally:
        kiosk.close()


def _serve_counter(
    officer: Client, counter_id: int, start: threading.Barrier, out: Outcome
) -> None:
    """Press "next" as fast as possible until nobody is waiting: each press finishes the
    ticket at the counter and calls the next one in one request."""
    start.wait(timeout=60)
    deadline = time.monotonic() + CALL_DEADLINE
    current: int | None = None
    while time.monotonic() < deadline:
        r = officer.post(f"/counters/{counter_id}/call-next", {"finish_current": True})
        if r.status_code != 200:
            out.error(f"call-next at {counter_id}: {r.status_code} {r.text[:300]}")
            return
        ticket, finished = r.json()["ticket"], r.json()["finished"]
        finished_id = finished["id"] if finished else None
        if finished_id != current or (finished and finished["state"] != "done"):
            out.error(f"call-next at {counter_id} finished {finished}, expected {current}")
            return
        if ticket is None:
            return
        if ticket["state"] != "called" or ticket["counter_id"] != counter_id:
            out.error(f"call-next at {counter_id} returned {ticket}")
            return
        current = int(ticket["id"])
        with out.lock:
            out.called.append((current, counter_id))
    out.error(f"counter {counter_id} still calling after {CALL_DEADLINE} s")


def _run(threads: list[threading.Thread], timeout: float) -> None:
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "threads did not finish in time"


def _open_counters(urls: list[str], counters: dict[int, int]) -> dict[int, Client]:
    """Each officer logs in and opens their counter; the counters are split over the processes."""

    def open_counter(number: int) -> Client:
        officer = login(urls[(number - 1) * len(urls) // len(counters)], officer_name(number))
        r = officer.post(f"/counters/{counters[number]}/state", {"state": "open"})
        assert r.status_code == 200, r.text
        return officer

    with ThreadPoolExecutor(8) as executor:
        return dict(zip(counters, executor.map(open_counter, counters), strict=True))


def _check_journal(url: str, token: str, branch_id: int, issued: set[int]) -> None:
    """Read the whole journal through the event stream: gap-free, and per ticket exactly one
    issued, one called and one finished event."""
    head = journal_head(Client(url, token), branch_id)
    with SseReader(url, token, branch_id, last_event_id=0) as stream:
        events = stream.until(head, timeout=60)
    check_consecutive(events, 1)
    for kind in ("ticket.issued", "ticket.called", "ticket.finished"):
        per_ticket = Counter(e.ticket_id for e in events if e.kind == kind)
        assert set(per_ticket) == issued, f"{kind}: {len(per_ticket)} tickets of {len(issued)}"
        wrong = [t for t, n in per_ticket.items() if n != 1]
        assert not wrong, f"{kind} more than once for tickets {wrong[:20]}"


def run_counters_against_queue(
    pool: ServerPool, db_url: str, tmp_path: Path, processes: int
) -> None:
    lap = Laps()
    kiosk_token = run_setup(db_url, office_toml(counters=COUNTERS), tmp_path)
    lap("set-up")
    urls = [pool.start(db_url, f"server{i}").url for i in range(processes)]
    kiosk = Client(urls[0], kiosk_token)
    branch_id = branch_of(kiosk)
    service_id = service_ids(kiosk, branch_id)["A"]
    counters = counter_ids(kiosk, branch_id)
    assert len(counters) == COUNTERS
    officers = _open_counters(urls, counters)
    lap("servers, logins")

    out = Outcome()
    per_issuer = TICKETS // ISSUERS
    issuers = [
        threading.Thread(
            target=_issue, args=(urls[i % processes], kiosk_token, service_id, per_issuer, out)
        )
        for i in range(ISSUERS)
    ]
    _run(issuers, timeout=300)
    assert not out.errors, out.errors[:10]
    assert len(out.issued) == TICKETS and len(set(out.issued)) == TICKETS
    lap(f"issue {TICKETS}")

    start = threading.Barrier(COUNTERS)
    callers = [
        threading.Thread(target=_serve_counter, args=(officers[n], counters[n], start, out))
        for n in counters
    ]
    _run(callers, timeout=CALL_DEADLINE + 60)
    assert not out.errors, f"{len(out.errors)} error responses, first: {out.errors[:10]}"
    lap(f"call {TICKETS}")

    called_ids = [ticket_id for ticket_id, _ in out.called]
    twice = [tid for tid, n in Counter(called_ids).items() if n > 1]
    assert not twice, f"tickets called more than once: {twice[:20]}"
    assert set(called_ids) == set(out.issued), (
        f"skipped: {sorted(set(out.issued) - set(called_ids))[:20]}, "
        f"unknown: {sorted(set(called_ids) - set(out.issued))[:20]}"
    )
    busy_counters = {counter_id for _, counter_id in out.called}
    assert len(busy_counters) > COUNTERS // 2, "the counters did not really work in parallel"
    snapshot = kiosk.get(f"/branches/{branch_id}/snapshot").json()
    assert all(q["waiting_count"] == 0 for q in snapshot["services"])
    assert snapshot["open_tickets"] == []

    for url in urls:  # the journal, through each process's event stream
        _check_journal(url, kiosk_token, branch_id, set(out.issued))
    lap("journal")
    print("phases:", lap)
    pool.assert_no_alarms()


@pytest.mark.slow
def test_counters_call_every_ticket_once(
    servers: ServerPool, backend: Backend, tmp_path: Path
) -> None:
    run_counters_against_queue(servers, backend.db_url, tmp_path, processes=backend.processes)
