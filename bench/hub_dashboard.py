"""The hub's regional view: how long the dashboard and a day's report across branches take
(docs/HUB.md, "Regional view and reports").

A hub's tables on a fresh PostgreSQL database, filled directly (``store.ingest``, as a push
does) with ``--branches`` branches of ``--tickets`` citizens each today (issued, called,
finished: three events each, tests/support/hub_journal.py) and their set-up. Timed in this
process, without HTTP:

* the dashboard cold (a hub process's first, reading every branch's day),
* the dashboard warm with nothing new, and after every branch made ``--new`` more events
  (what a refresh every 10 s costs in a busy hour),
* ``hub_report`` of today for every branch (each branch's day read again, plus combined).

    python -m bench.hub_dashboard --branches 50 --tickets 300
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bench.harness import database, machine
from counter_app.hub import reports, store
from counter_app.hub.store import HubActor
from counter_app.schemas.hub import PUSH_LIMIT, JournalPush, ReportFeed
from counter_app.store.db import normalise_url
from tests.support.hub_journal import Visit, day_events, profile

ZONE = "Asia/Jakarta"


def visits(count: int) -> list[Visit]:
    """``count`` citizens six seconds apart from 08:00, each called 10 minutes after arriving
    and served in 5 (the counts matter here, not the times)."""
    return [Visit(i * 0.1, i * 0.1 + 10, i * 0.1 + 15) for i in range(count)]


def push(session: Session, branch_id: int, events: list[dict[str, object]], after: int) -> None:
    todo = [e for e in events if int(str(e["seq"])) > after]
    for start in range(0, len(todo), PUSH_LIMIT):
        batch = todo[start : start + PUSH_LIMIT]
        body = JournalPush.model_validate(
            {
                "events": [
                    {"seq": e["seq"], "kind": e["kind"], "at": e["at"], "payload": e} for e in batch
                ],
                "figures": {"seq": batch[-1]["seq"], "waiting": 5, "open_counters": 3},
            },
            strict=False,
        )
        store.ingest(session, branch_id, body, datetime.now(UTC))


def timed(label: str, work: object) -> float:
    assert callable(work)
    began = time.perf_counter()
    work()
    took = time.perf_counter() - began
    print(f"{label:<48} {took * 1000:9.0f} ms")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--new", type=int, default=4)
    args = parser.parse_args()
    print(machine())
    with database("postgresql") as url:
        engine = create_engine(normalise_url(url))
        store.create_schema(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        today = datetime.now(ZoneInfo(ZONE)).date()
        day = visits(args.tickets)
        events = day_events(today, ZONE, day)
        ids = []
        began = time.perf_counter()
        with sessions.begin() as session:
            for number in range(args.branches):
                branch_id, _key = store.add_branch(session, f"Kantor {number:03d}", "Bench")
                ids.append(branch_id)
                push(session, branch_id, events, 0)
                feed = ReportFeed.model_validate({"profile": profile(f"K{number}")}, strict=False)
                reports.store_feed(session, branch_id, feed, datetime.now(UTC))
        total = args.branches * len(events)
        print(f"filled: {total} events in {time.perf_counter() - began:.1f} s")
        admin = HubActor(0, store.HUB_ADMIN, None)

        def board() -> None:
            with sessions.begin() as session:
                rows = reports.dashboard(session, admin, datetime.now(UTC)).branches
                assert rows[0].issued >= args.tickets, rows[0]

        timed(f"dashboard, cold ({args.branches} branches)", board)
        timed("dashboard, warm, nothing new", board)
        later = [Visit(60 + k, 70 + k, 75 + k) for k in range(args.new)]  # after the rest
        more = day_events(today, ZONE, [*day, *later])
        with sessions.begin() as session:
            for branch_id in ids:
                push(session, branch_id, more, len(events))
        timed(f"dashboard, warm, {len(more) - len(events)} new events a branch", board)

        def report() -> None:
            with sessions.begin() as session:
                found = reports.hub_report(session, admin, today, today, datetime.now(UTC))
                assert found.combined.total.issued == args.branches * (args.tickets + args.new)

        timed(f"hub_report, today, {args.branches} branches", report)
        engine.dispose()


if __name__ == "__main__":
    main()
