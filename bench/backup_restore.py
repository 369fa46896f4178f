"""Backup and restore of a large office: 200,000 tickets (each with its issued and finished
journal events) over 100 service days, written with direct inserts; then ``take_backup`` and
``restore`` (the code behind ``counter-app backup`` and ``restore``) are timed.
Budgets (docs/PERFORMANCE.md): backup <= 10 s, restore <= 30 s.

python -m bench.backup_restore --db sqlite --tickets 200000
python -m bench.backup_restore --db postgresql
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from bench.harness import PASSWORD, database, machine, office_toml
from counter_app.store import backup
from counter_app.store.db import normalise_url
from counter_app.store.models import Branch, BranchSequence, Counter, Event, Service, Ticket


def set_up_office(db_url: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as handle:
        handle.write(office_toml(4))
    subprocess.run(
        [sys.executable, "-m", "counter_app", "setup", handle.name, "--db", db_url],
        env={**os.environ, "BENCH_PASSWORD": PASSWORD},
        capture_output=True,
        check=True,
    )
    Path(handle.name).unlink()


SQLITE_FILL = """
INSERT INTO tickets (id, branch_id, service_id, service_day, prefix, number, code, source,
    priority, state, counter_id, issued_at, enqueued_at, called_at, started_at, closed_at,
    call_count, note)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :tickets),
t AS (SELECT i, i / :per_day AS day, i % :per_day AS k FROM n)
SELECT :first_id + i, :branch, CASE k % 2 WHEN 0 THEN :s0 ELSE :s1 END,
    date('2026-01-01', '+' || day || ' days'), CASE k % 2 WHEN 0 THEN :p0 ELSE :p1 END,
    k / 2 + 1, printf('B%09d', :first_id + i), 'kiosk', 0, 'done', :counter,
    datetime('2026-01-01 01:00:00', '+' || day || ' days', '+' || (10 * k) || ' seconds'),
    datetime('2026-01-01 01:00:00', '+' || day || ' days', '+' || (10 * k) || ' seconds'),
    datetime('2026-01-01 01:07:00', '+' || day || ' days', '+' || (10 * k) || ' seconds'),
    datetime('2026-01-01 01:08:00', '+' || day || ' days', '+' || (10 * k) || ' seconds'),
    datetime('2026-01-01 01:12:00', '+' || day || ' days', '+' || (10 * k) || ' seconds'),
    1, ''
FROM t
"""
PG_FILL = """
INSERT INTO tickets (id, branch_id, service_id, service_day, prefix, number, code, source,
    priority, state, counter_id, issued_at, enqueued_at, called_at, started_at, closed_at,
    call_count, note)
SELECT :first_id + i, :branch, CASE k % 2 WHEN 0 THEN :s0 ELSE :s1 END,
    DATE '2026-01-01' + day, CASE k % 2 WHEN 0 THEN :p0 ELSE :p1 END,
    k / 2 + 1, 'B' || lpad((:first_id + i)::text, 9, '0'), 'kiosk', false, 'done', :counter,
    at, at, at + interval '7 minutes', at + interval '8 minutes', at + interval '12 minutes',
    1, ''
FROM (
    SELECT i, i / :per_day AS day, i % :per_day AS k,
        TIMESTAMPTZ '2026-01-01 01:00:00+00' + (i / :per_day) * interval '1 day'
            + (10 * (i % :per_day)) * interval '1 second' AS at
    FROM generate_series(0, :tickets - 1) AS i
) AS t
"""
# Two journal events a ticket (issued, finished), numbered on from the office set-up's.
EVENTS_FILL = """
INSERT INTO events (id, branch_id, seq, kind, at, ticket_id, counter_id, payload)
SELECT :first_event + 2 * (id - :first_id) + e, branch_id, :first_seq + 2 * (id - :first_id) + e,
    CASE e WHEN 0 THEN 'issued' ELSE 'finished' END,
    CASE e WHEN 0 THEN issued_at ELSE closed_at END, id, counter_id, '{}'
FROM tickets, (SELECT 0 AS e UNION ALL SELECT 1) AS two
WHERE id >= :first_id
"""


def fill(db_url: str, tickets: int, days: int = 100) -> None:
    """``tickets`` finished tickets spread over ``days`` service days, with their events,
    generated inside the database (a recursive CTE on SQLite, generate_series on PG)."""
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.begin() as connection:
            branch = connection.scalar(select(Branch.id))
            (s0, p0), (s1, p1) = list(connection.execute(select(Service.id, Service.prefix)))[:2]
            first_id = int(connection.scalar(select(func.max(Ticket.id))) or 0) + 1
            first_seq = (
                int(
                    connection.scalar(
                        select(BranchSequence.last_seq).where(BranchSequence.branch_id == branch)
                    )
                    or 0
                )
                + 1
            )
            first_event = int(connection.scalar(select(func.max(Event.id))) or 0) + 1
            fill_sql = PG_FILL if engine.dialect.name == "postgresql" else SQLITE_FILL
            connection.execute(
                text(fill_sql),
                {
                    "tickets": tickets,
                    "per_day": max(1, tickets // days),
                    "first_id": first_id,
                    "branch": branch,
                    "s0": s0,
                    "s1": s1,
                    "p0": p0,
                    "p1": p1,
                    "counter": connection.scalar(select(Counter.id)),
                },
            )
            connection.execute(
                text(EVENTS_FILL),
                {"first_id": first_id, "first_event": first_event, "first_seq": first_seq},
            )
            connection.execute(
                BranchSequence.__table__.update()
                .where(BranchSequence.branch_id == branch)
                .values(last_seq=first_seq + 2 * tickets - 1)
            )
            if engine.dialect.name == "postgresql":
                for table in ("tickets", "events"):
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                            f" (SELECT max(id) FROM {table}))"
                        )
                    )
    finally:
        engine.dispose()


def count_tickets(db_url: str) -> int:
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(Ticket)) or 0)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--tickets", type=int, default=200_000)
    args = parser.parse_args()
    with database(args.db) as source, database(args.db) as target:
        began = time.perf_counter()
        set_up_office(source)
        fill(source, args.tickets)
        built = time.perf_counter() - began
        with tempfile.TemporaryDirectory() as tmp:
            began = time.perf_counter()
            taken = backup.take_backup(source, Path(tmp))
            backup_seconds = time.perf_counter() - began
            began = time.perf_counter()
            backup.restore(taken, target)
            restore_seconds = time.perf_counter() - began
            size_mb = taken.stat().st_size / 2**20
        restored = count_tickets(target)
    print(f"machine: {machine()}")
    print(f"backend={args.db} tickets={args.tickets} (built in {built:.1f} s)")
    print(f"backup:  {backup_seconds:.2f} s ({size_mb:.0f} MiB file)   budget 10 s")
    print(
        f"restore: {restore_seconds:.2f} s (checks included; {restored} tickets back)   budget 30 s"
    )
    assert restored == args.tickets


if __name__ == "__main__":
    main()
