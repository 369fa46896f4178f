"""kill -9 the server during a burst of ``issue_ticket``; after a restart on the same database
every acknowledged ticket exists, no number is used twice, and the journal matches the tickets.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from counter_app.store.db import normalise_url
from tests.e2e.processes import (
    Client,
    ServerPool,
    ServerProcess,
    SseReader,
    branch_of,
    check_consecutive,
    journal_head,
    office_toml,
    run_setup,
    service_ids,
)

PREFIXES = ("A", "B", "C")
THREADS = 8
ACKS_BEFORE_KILL = 300


@dataclass(frozen=True)
class Ack:
    ticket_id: int
    service_id: int
    number: str  # "A-007"


@dataclass
class Burst:
    acked: list[Ack] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cut: int = 0  # threads whose request was in flight when the server died
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def _issue_until_cut(base_url: str, token: str, service_id: int, burst: Burst) -> None:
    kiosk = Client(base_url, token, timeout=20)
    try:
        while not burst.stop.is_set():
            try:
                r = kiosk.post("/tickets", {"service_id": service_id})
            except requests.RequestException:
                with burst.lock:
                    burst.cut += 1
                return
            if r.status_code != 201:
                with burst.lock:
                    burst.errors.append(f"{r.status_code} {r.text[:300]}")
                return
            body = r.json()
            with burst.lock:
                burst.acked.append(Ack(int(body["id"]), int(body["service_id"]), body["number"]))
    finally:
        kiosk.close()


def _ticket_rows(db_url: str) -> list[tuple[int, int, str, str, int]]:
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, service_id, service_day, prefix, number FROM tickets ORDER BY id")
            ).all()
            counters = conn.execute(
                text("SELECT service_day, prefix, last_number, issued FROM daily_counters")
            ).all()
    finally:
        engine.dispose()
    by_day: dict[tuple[str, str], int] = Counter(
        (str(day), prefix) for _, _, day, prefix, _ in rows
    )
    for day, prefix, last_number, issued in counters:
        assert last_number == issued == by_day[(str(day), prefix)], (
            f"daily counter {day} {prefix} says {last_number}/{issued}, "
            f"tickets: {by_day[(str(day), prefix)]}"
        )
    return [(int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4])) for r in rows]


def _burst_then_kill(server: ServerProcess, token: str, services: dict[str, int]) -> list[Ack]:
    """Issue from several threads; SIGKILL the server while they are sending."""
    burst = Burst()
    threads = [
        threading.Thread(
            target=_issue_until_cut,
            args=(server.url, token, services[PREFIXES[i % len(PREFIXES)]], burst),
        )
        for i in range(THREADS)
    ]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 120
        while len(burst.acked) < ACKS_BEFORE_KILL and not burst.errors:
            assert time.monotonic() < deadline, f"burst too slow\n{server.log_tail()}"
            time.sleep(0.005)
        server.kill()
    finally:
        burst.stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not burst.errors, burst.errors[:10]
    assert burst.cut > 0, "no request was in flight at the kill; the test proved nothing"
    return list(burst.acked)


def _numbers_by_day(rows: list[tuple[int, int, str, str, int]]) -> dict[tuple[str, str], list[int]]:
    """Numbers per (service day, prefix); none twice, and they run 1..N without a hole."""
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for _, _, day, prefix, number in rows:
        numbers[(day, prefix)].append(number)
    for key, used in numbers.items():
        repeated = [n for n, c in Counter(used).items() if c > 1]
        assert not repeated, f"{key}: numbers used twice: {repeated}"
        assert sorted(used) == list(range(1, len(used) + 1)), f"{key}: numbers {sorted(used)}"
    return numbers


def _check_journal(server: ServerProcess, token: str, branch_id: int, row_ids: set[int]) -> None:
    """One ticket.issued event per ticket row; the sequence is gap-free 1..N."""
    head = journal_head(Client(server.url, token), branch_id)
    with SseReader(server.url, token, branch_id, last_event_id=0) as stream:
        events = stream.until(head, timeout=60)
        extra = stream.drain(quiet=1.5)
    assert not extra, f"events beyond the head {head}: {extra[:5]}"
    check_consecutive(events, 1)
    issued = Counter(e.ticket_id or 0 for e in events if e.kind == "ticket.issued")
    assert set(issued) == row_ids, (
        f"tickets without an event: {sorted(row_ids - set(issued))[:20]}, "
        f"events without a ticket: {sorted(set(issued) - row_ids)[:20]}"
    )
    assert set(issued.values()) == {1}
    assert all(e.data["ticket"]["state"] == "waiting" for e in events if e.kind == "ticket.issued")


def kill_during_burst_and_restart(pool: ServerPool, db_url: str, tmp_path: Path) -> None:
    kiosk_token = run_setup(db_url, office_toml(counters=2, prefixes=PREFIXES), tmp_path)
    before = pool.start(db_url, "before-kill")
    kiosk = Client(before.url, kiosk_token)
    branch_id = branch_of(kiosk)
    services = service_ids(kiosk, branch_id)
    acked = _burst_then_kill(before, kiosk_token, services)

    after = pool.start(db_url, "after-restart")
    kiosk = Client(after.url, kiosk_token)
    # Every acknowledged ticket exists, by id, with its number and service.
    for ack in acked:
        r = kiosk.get(f"/tickets/{ack.ticket_id}")
        assert r.status_code == 200, f"acknowledged ticket {ack} is gone: {r.text}"
        assert (r.json()["number"], r.json()["service_id"]) == (ack.number, ack.service_id)
    rows = _ticket_rows(db_url)
    numbers = _numbers_by_day(rows)
    row_ids = {row[0] for row in rows}
    assert {a.ticket_id for a in acked} <= row_ids
    _check_journal(after, kiosk_token, branch_id, row_ids)

    # Issuing goes on after the restart with the next numbers.
    for prefix in PREFIXES:
        r = kiosk.post("/tickets", {"service_id": services[prefix]})
        assert r.status_code == 201, r.text
        last = max(numbers.get((r.json()["service_day"], prefix), [0]))
        assert r.json()["number"] == f"{prefix}-{last + 1:03d}"
    after_rows = _ticket_rows(db_url)
    assert len(after_rows) == len(rows) + len(PREFIXES)
    _numbers_by_day(after_rows)
    _check_journal(after, kiosk_token, branch_id, {row[0] for row in after_rows})
    assert after.alarms() == [], after.log_tail()


@pytest.mark.slow
def test_kill_9_during_issue_burst_sqlite(
    servers: ServerPool, sqlite_url: str, tmp_path: Path
) -> None:
    kill_during_burst_and_restart(servers, sqlite_url, tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_kill_9_during_issue_burst_postgresql(
    servers: ServerPool, pg_url: str, tmp_path: Path
) -> None:
    kill_during_burst_and_restart(servers, pg_url, tmp_path)
