"""Two server processes on one PostgreSQL database: a subscriber on either process receives,
in order and once, every event caused by requests to both (LISTEN/NOTIFY between them)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from tests.e2e import traffic
from tests.e2e.processes import (
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

ISSUERS_PER_PROCESS = 3
TICKETS_PER_ISSUER = 40
CALLS_PER_COUNTER = 50


@pytest.mark.slow
@pytest.mark.postgres
def test_subscribers_on_each_process_see_every_event_once_in_order(
    servers: ServerPool, pg_url: str, tmp_path: Path
) -> None:
    kiosk_token = run_setup(pg_url, office_toml(counters=4), tmp_path)
    a = servers.start(pg_url, "process-a")
    b = servers.start(pg_url, "process-b")
    kiosk_a, kiosk_b = Client(a.url, kiosk_token), Client(b.url, kiosk_token)
    branch_id = branch_of(kiosk_a)
    service_id = service_ids(kiosk_a, branch_id)["A"]
    counters = counter_ids(kiosk_a, branch_id)
    officer_a = login(a.url, officer_name(1))
    officer_b = login(b.url, officer_name(2))
    start = journal_head(kiosk_a, branch_id)

    tally = traffic.Tally()
    with (
        SseReader(a.url, kiosk_token, branch_id) as on_a,
        SseReader(b.url, kiosk_token, branch_id) as on_b,
    ):
        traffic.open_counter(officer_a, counters[1], tally)
        traffic.open_counter(officer_b, counters[2], tally)
        jobs = [
            partial(traffic.issue, Client(url, kiosk_token), service_id, TICKETS_PER_ISSUER, tally)
            for url in [a.url, b.url] * ISSUERS_PER_PROCESS
        ]
        jobs += [
            partial(traffic.serve, officer_a, counters[1], CALLS_PER_COUNTER, tally),
            partial(traffic.serve, officer_b, counters[2], CALLS_PER_COUNTER, tally),
        ]
        traffic.run_all(jobs)
        assert not tally.errors, tally.errors[:10]
        end = journal_head(kiosk_b, branch_id)
        assert end - start == tally.total, "the journal holds other events than the requests'"

        seen_a = on_a.until(end, timeout=60) + on_a.drain(quiet=1.5)
        seen_b = on_b.until(end, timeout=60) + on_b.drain(quiet=1.5)

    for name, seen in (("process A", seen_a), ("process B", seen_b)):
        check_consecutive(seen, start + 1)
        assert seen[-1].id == end, f"{name}: {len(seen)} events, last {seen[-1].id}, head {end}"
        got = traffic.keys(seen)
        assert got == tally.expected, (
            f"{name}: missing {tally.expected - got}, unexpected {got - tally.expected}"
        )
        traffic.check_ticket_order(seen)
    # Both processes sent the same events, byte for byte equal data.
    assert [(e.id, e.kind, e.data) for e in seen_a] == [(e.id, e.kind, e.data) for e in seen_b]
    servers.assert_no_alarms()
