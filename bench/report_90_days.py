"""report_summary over 90 days and 200,000 tickets on SQLite (budget: 2 s).

Builds a SQLite office (4 services, 10 counters) with the real migrations and set-up code,
then bulk-inserts 90 service days of tickets with their journal events (payloads shaped like
the server's) straight into the file, and times the report: the store function in this
process, then ``GET …/reports/summary`` on a real server process.

The data are synthetic (random waits and outcomes, not a queue simulation): enough to give the
report the volume and the mix of events it meets in an office (served, no-show with recalls,
returns, cancelled, transferred, expired).

    python -m bench.report_90_days --tickets 200000 --days 90 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from bench.harness import PASSWORD, free_port, machine, office_toml, wait_started
from counter_app.config import Settings
from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role
from counter_app.schemas.office_file import OfficeFile
from counter_app.server.app import open_database
from counter_app.store.codes import ALPHABET
from counter_app.store.db import Database
from counter_app.store.office import add_admin
from counter_app.store.office_file import apply_office
from counter_app.store.reports import report_summary

FIRST_DAY = date(2026, 1, 5)
WIB = timedelta(hours=7)
COUNTERS = 10
SERVICES = 4


def stamp(moment: datetime) -> str:
    """How SQLAlchemy stores a UtcDateTime on SQLite (naive UTC text with microseconds)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def code_of(index: int) -> str:
    digits = []
    for _ in range(8):
        index, rest = divmod(index, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return "".join(digits)


@dataclass
class Office:
    branch_id: int
    services: list[tuple[int, str]]  # (id, prefix)
    counters: list[tuple[int, int, tuple[int, ...]]]  # (id, officer id, service ids)


@dataclass
class Writer:
    branch_id: int
    seq: int = 0
    ticket_id: int = 0
    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def event(
        self,
        kind: str,
        at: datetime,
        ticket: dict[str, Any] | None,
        counter_id: int | None,
        user_id: int | None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.seq += 1
        counter = (
            None
            if counter_id is None
            else {"id": counter_id, "branch_id": self.branch_id, "officer_id": user_id}
        )
        payload = {
            "seq": self.seq,
            "kind": kind,
            "at": at.isoformat(),
            "branch_id": self.branch_id,
            "ticket": ticket,
            "counter": counter,
            "user_id": user_id,
            "device_id": None,
            "data": data or {},
        }
        self.events.append(
            (
                self.branch_id,
                self.seq,
                kind,
                stamp(at),
                ticket["id"] if ticket else None,
                counter_id,
                user_id,
                json.dumps(payload, separators=(",", ":")),
            )
        )


def ticket_dict(row: dict[str, Any], state: str, counter_id: int | None) -> dict[str, Any]:
    """The shape of TicketOut in the journal (what makes a payload ~1 KB)."""
    return {
        "id": row["id"],
        "code": row["code"],
        "number": f"{row['prefix']}-{row['number']:03d}",
        "prefix": row["prefix"],
        "sequence": row["number"],
        "branch_id": row["branch_id"],
        "service_id": row["service_id"],
        "service_name": f"Service {row['prefix']}",
        "service_day": row["service_day"],
        "state": state,
        "source": "kiosk",
        "priority": False,
        "priority_class_id": None,
        "counter_id": counter_id,
        "counter_number": counter_id,
        "counter_name": None if counter_id is None else f"Loket {counter_id}",
        "target_counter_id": None,
        "officer_id": None,
        "issued_at": row["issued_at"].isoformat(),
        "enqueued_at": row["enqueued_at"].isoformat(),
        "called_at": None,
        "started_at": None,
        "closed_at": None,
        "call_count": 0,
        "transferred_from_id": row["transferred_from_id"],
        "note": "",
        "ahead": None,
        "wait_seconds": None,
    }


def set_up_office(db_url: str) -> Office:
    toml = office_toml(COUNTERS, SERVICES)
    data = OfficeFile.model_validate(tomllib.loads(toml))
    db = open_database(Settings(db_url=db_url))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        with db.write() as session:
            report = apply_office(
                session,
                data,
                Actor(username="setup", role=Role.ADMIN),
                now,
                lambda _u, _e: PASSWORD,
            )
            add_admin(session, "admin", PASSWORD, now)
        branch_id = report.branch_ids["bench"]
    finally:
        db.dispose()
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        services = conn.execute(
            "SELECT id, prefix FROM services WHERE branch_id = ? ORDER BY prefix", (branch_id,)
        ).fetchall()
        counters = []
        for counter_id, number in conn.execute(
            "SELECT id, number FROM counters WHERE branch_id = ? ORDER BY number", (branch_id,)
        ).fetchall():
            officer = conn.execute(
                "SELECT id FROM users WHERE username = ?", (f"officer{number}",)
            ).fetchone()[0]
            ids = tuple(
                r[0]
                for r in conn.execute(
                    "SELECT service_id FROM counter_services WHERE counter_id = ?", (counter_id,)
                )
            )
            counters.append((counter_id, officer, ids))
    return Office(branch_id, list(services), counters)


def generate(path: str, office: Office, tickets: int, days: int, rng: random.Random) -> int:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    start_seq = conn.execute(
        "SELECT last_seq FROM branch_sequences WHERE branch_id = ?", (office.branch_id,)
    ).fetchone()[0]
    first_ticket = conn.execute("SELECT COALESCE(MAX(id), 0) FROM tickets").fetchone()[0]
    out = Writer(office.branch_id, seq=start_seq, ticket_id=first_ticket)
    per_day = tickets // days
    serving = {sid: [c for c in office.counters if sid in c[2]] for sid, _ in office.services}
    made = 0
    for d in range(days):
        day = FIRST_DAY + timedelta(days=d)
        opening = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) - WIB
        for counter_id, officer, _ in office.counters:
            out.event("counter.state", opening - timedelta(minutes=5), None, counter_id, officer)
        numbers = dict.fromkeys((p for _, p in office.services), 0)
        count = per_day if d < days - 1 else tickets - made
        arrivals = sorted(rng.uniform(0, 7 * 3600) for _ in range(count))
        day_events: list[tuple[datetime, int, Any]] = []  # ordered by time before numbering
        for offset in arrivals:
            service_id, prefix = office.services[rng.randrange(len(office.services))]
            numbers[prefix] += 1
            made += 1
            issued = opening + timedelta(seconds=offset)
            _visit(
                out,
                office,
                serving,
                rng,
                day,
                day_events,
                service_id,
                prefix,
                numbers[prefix],
                made,
                issued,
            )
        closing = opening + timedelta(hours=7, minutes=30)
        day_events.sort(key=lambda e: (e[0], e[1]))
        for _, _, args in day_events:
            out.event(*args)
        for counter_id, _officer, _ in office.counters:
            out.event("counter.state", closing, None, counter_id, None)
    conn.executemany(
        "INSERT INTO tickets (id, branch_id, service_id, service_day, prefix, number, code, "
        "source, priority, state, counter_id, officer_id, issued_at, enqueued_at, called_at, "
        "started_at, closed_at, call_count, transferred_from_id, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'kiosk', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
        out.tickets,
    )
    conn.executemany(
        "INSERT INTO events (branch_id, seq, kind, at, ticket_id, counter_id, user_id, "
        "device_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        out.events,
    )
    conn.execute(
        "UPDATE branch_sequences SET last_seq = ? WHERE branch_id = ?", (out.seq, office.branch_id)
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return len(out.events)


def _visit(
    out: Writer,
    office: Office,
    serving: dict[int, list[tuple[int, int, tuple[int, ...]]]],
    rng: random.Random,
    day: date,
    events: list[tuple[datetime, int, Any]],
    service_id: int,
    prefix: str,
    number: int,
    index: int,
    issued: datetime,
    from_id: int | None = None,
    code: str | None = None,
) -> None:
    out.ticket_id += 1
    row = {
        "id": out.ticket_id,
        "branch_id": office.branch_id,
        "service_id": service_id,
        "service_day": day.isoformat(),
        "prefix": prefix,
        "number": number,
        "code": code or code_of(index),
        "issued_at": issued,
        "enqueued_at": issued,
        "transferred_from_id": from_id,
    }
    order = len(events)

    def add(kind: str, at: datetime, state: str, counter: int | None, user: int | None) -> None:
        events.append((at, order, (kind, at, ticket_dict(row, state, counter), counter, user)))

    if from_id is None:
        add("ticket.issued", issued, "waiting", None, None)
    roll = rng.random()
    counter_id, officer, _ = serving[service_id][rng.randrange(len(serving[service_id]))]
    called = issued + timedelta(seconds=rng.uniform(60, 3600))
    state, closed, final_counter = "done", None, counter_id
    if roll < 0.03:  # cancelled while waiting
        closed = issued + timedelta(seconds=rng.uniform(60, 1800))
        add("ticket.cancelled", closed, "cancelled", None, None)
        state, final_counter = "cancelled", None
    elif roll < 0.05:  # never called: expired by housekeeping after midnight
        closed = (
            datetime(day.year, day.month, day.day, tzinfo=UTC) - WIB + timedelta(days=1, seconds=5)
        )
        add("ticket.expired", closed, "expired", None, None)
        state, final_counter = "expired", None
    else:
        if rng.random() < 0.05:  # returned once, called again later
            add("ticket.called", called, "called", counter_id, officer)
            add("ticket.returned", called + timedelta(seconds=30), "waiting", counter_id, officer)
            called += timedelta(seconds=rng.uniform(60, 600))
        add("ticket.called", called, "called", counter_id, officer)
        if rng.random() < 0.1:
            add("ticket.recalled", called + timedelta(seconds=20), "called", counter_id, officer)
        if roll < 0.11:  # no-show
            closed = called + timedelta(seconds=60)
            add("ticket.skipped", closed, "no_show", counter_id, officer)
            state = "no_show"
        else:
            started = called + timedelta(seconds=rng.uniform(10, 60))
            add("ticket.started", started, "serving", counter_id, officer)
            closed = started + timedelta(seconds=rng.uniform(120, 900))
            if roll < 0.15 and from_id is None:  # transferred to another service
                others = [s for s in office.services if s[0] != service_id]
                target, _ = others[rng.randrange(len(others))]
                state = "transferred"
                out.tickets.append(_ticket_row(row, state, counter_id, officer, called, closed))
                _visit(
                    out,
                    office,
                    serving,
                    rng,
                    day,
                    events,
                    target,
                    prefix,
                    number,
                    index,
                    closed,
                    from_id=row["id"],
                    code=row["code"],
                )
                # The transfer event belongs to the new row: issue it under that id.
                new = dict(
                    row,
                    id=out.ticket_id,
                    service_id=target,
                    enqueued_at=closed,
                    transferred_from_id=row["id"],
                )
                events.append(
                    (
                        closed,
                        order,
                        (
                            "ticket.transferred",
                            closed,
                            ticket_dict(new, "waiting", None),
                            counter_id,
                            officer,
                        ),
                    )
                )
                return
            add("ticket.finished", closed, "done", counter_id, officer)
    out.tickets.append(_ticket_row(row, state, final_counter, officer, called, closed))


def _ticket_row(
    row: dict[str, Any],
    state: str,
    counter_id: int | None,
    officer: int | None,
    called: datetime,
    closed: datetime | None,
) -> tuple[Any, ...]:
    was_called = counter_id is not None
    return (
        row["id"],
        row["branch_id"],
        row["service_id"],
        row["service_day"],
        row["prefix"],
        row["number"],
        row["code"],
        state,
        counter_id,
        officer if was_called else None,
        stamp(row["issued_at"]),
        stamp(row["enqueued_at"]),
        stamp(called) if was_called else None,
        None,
        stamp(closed) if closed else None,
        1 if was_called else 0,
        row["transferred_from_id"],
    )


def time_store(db_url: str, branch_id: int, first: date, last: date, runs: int) -> list[float]:
    db = Database(db_url)
    took = []
    try:
        for _ in range(runs):
            began = time.perf_counter()
            with db.read() as session:
                report = report_summary(session, branch_id, first, last, datetime.now(UTC))
            took.append(time.perf_counter() - began)
    finally:
        db.dispose()
    print(
        f"  report: issued={report.total.issued} served={report.total.served} "
        f"visits called={report.total.called} IKM responses={report.survey.responses}"
    )
    return took


def time_http(db_url: str, branch_id: int, first: date, last: date, runs: int) -> list[float]:
    port = free_port()
    env = {**os.environ, "COUNTER_APP_LOG_LEVEL": "warning"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "server", "--db", db_url, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_started(url, proc, lambda: proc.stderr.read() if proc.stderr else "")
        token = requests.post(
            url + "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}, timeout=30
        ).json()["token"]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        took = []
        for _ in range(runs):
            began = time.perf_counter()
            response = session.get(
                f"{url}/api/v1/branches/{branch_id}/reports/summary",
                params={"from": first.isoformat(), "to": last.isoformat()},
                timeout=120,
            )
            took.append(time.perf_counter() - began)
            response.raise_for_status()
        print(f"  HTTP body {len(response.content)} bytes")
        return took
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def show(name: str, took: list[float]) -> None:
    print(
        f"{name}: first {took[0]:.3f} s, median {statistics.median(took):.3f} s, "
        f"min {min(took):.3f} s, max {max(took):.3f} s ({len(took)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, help="build the database here and keep it (reused if it exists)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(args.keep or Path(tmp) / "report.sqlite3")
        db_url = f"sqlite:///{path}"
        began = time.perf_counter()
        print(f"machine: {machine()}")
        if args.keep and args.keep.exists():
            with sqlite3.connect(path) as conn:
                branch_id = conn.execute("SELECT id FROM branches WHERE code = 'bench'").fetchone()[
                    0
                ]
                events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            print(f"reusing {path}: {events} journal events")
        else:
            office = set_up_office(db_url)
            branch_id = office.branch_id
            events = generate(path, office, args.tickets, args.days, random.Random(args.seed))
            print(
                f"built {args.tickets} tickets, {events} journal events over {args.days} days "
                f"in {time.perf_counter() - began:.0f} s"
            )
        print(f"file {os.path.getsize(path) / 2**20:.0f} MiB; load average {os.getloadavg()}")
        first, last = FIRST_DAY, FIRST_DAY + timedelta(days=args.days - 1)
        show(
            "report_summary (store function)",
            time_store(db_url, branch_id, first, last, args.runs),
        )
        show("report_summary over HTTP", time_http(db_url, branch_id, first, last, args.runs))


if __name__ == "__main__":
    main()
