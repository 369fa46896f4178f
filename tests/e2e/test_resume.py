"""A subscriber reads some events, goes away while many happen (on both processes with
PostgreSQL), and reconnects with Last-Event-ID while more are still happening: it receives
exactly what it missed and what follows, in order, once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.e2e import traffic
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

READ_FIRST = 15
REPLAY_PAGE = 500  # the server replays the journal in pages of this size
AWAY_TICKETS = 150  # per kiosk; with the calls, more than one replay page is missed
AWAY_CALLS = 40  # per counter
DURING_TICKETS = 60


def disconnect_and_resume(pool: ServerPool, db_url: str, tmp_path: Path, processes: int) -> None:
    kiosk_token = run_setup(db_url, office_toml(counters=2), tmp_path)
    urls = [pool.start(db_url, f"process-{i}").url for i in range(processes)]
    kiosk = Client(urls[0], kiosk_token)
    branch_id = branch_of(kiosk)
    service_id = service_ids(kiosk, branch_id)["A"]
    counters = counter_ids(kiosk, branch_id)
    officers = {n: login(urls[n % processes], officer_name(n)) for n in (1, 2)}
    after_setup = journal_head(kiosk, branch_id)
    tally = traffic.Tally()

    def burst(tickets: int, calls: int) -> list[Callable[[], None]]:
        """Four kiosks and both counters, spread over the processes."""
        jobs: list[Callable[[], None]] = [
            partial(
                traffic.issue, Client(urls[i % processes], kiosk_token), service_id, tickets, tally
            )
            for i in range(4)
        ]
        if calls:
            jobs += [
                partial(traffic.serve, officer, counters[n], calls, tally)
                for n, officer in officers.items()
            ]
        return jobs

    for n, officer in officers.items():
        traffic.open_counter(officer, counters[n], tally)
    traffic.run_all(burst(10, 0))

    # A reference subscriber that never leaves, on the first process.
    with SseReader(urls[0], kiosk_token, branch_id, last_event_id=0) as reference:
        with SseReader(urls[0], kiosk_token, branch_id, last_event_id=0) as leaving:
            first = leaving.take(READ_FIRST, timeout=30)
        check_consecutive(first, 1)
        last_seen = first[-1].id

        traffic.run_all(burst(AWAY_TICKETS, AWAY_CALLS))  # meanwhile nobody reads for `leaving`
        assert not tally.errors, tally.errors[:10]
        assert journal_head(kiosk, branch_id) - last_seen > REPLAY_PAGE

        # Come back (through the other process, as a load balancer may) while traffic goes on.
        during = threading.Thread(target=traffic.run_all, args=(burst(DURING_TICKETS, 20),))
        during.start()
        try:
            with SseReader(urls[-1], kiosk_token, branch_id, last_event_id=last_seen) as resumed:
                during.join(timeout=180)
                assert not during.is_alive(), "traffic did not finish"
                assert not tally.errors, tally.errors[:10]
                end = journal_head(kiosk, branch_id)
                got = resumed.until(end, timeout=60) + resumed.drain(quiet=1.5)
        finally:
            during.join(timeout=180)
        everything = reference.until(end, timeout=60) + reference.drain(quiet=0.5)

    check_consecutive(everything, 1)
    assert everything[-1].id == end
    # The journal holds exactly what the acknowledged requests did.
    assert traffic.keys(everything[after_setup:]) == tally.expected
    # The resumed subscriber got exactly the rest, in order, once, with the same data.
    check_consecutive(got, last_seen + 1)
    assert got[-1].id == end, f"resumed stream stopped at {got[-1].id}, head is {end}"
    assert [(e.id, e.kind, e.data) for e in got] == [
        (e.id, e.kind, e.data) for e in everything[last_seen:]
    ]
    traffic.check_ticket_order(got)
    pool.assert_no_alarms()


@pytest.mark.slow
def test_resume_after_disconnect(servers: ServerPool, backend: Backend, tmp_path: Path) -> None:
    disconnect_and_resume(servers, backend.db_url, tmp_path, processes=backend.processes)
