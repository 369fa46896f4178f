"""Upgrading keeps every row: the previous release (commit ``PREVIOUS_RELEASE``, exported with
git and run from its own tree on this environment) fills a morning of tickets, transfers,
bookings and surveys through its API; the current code then opens the database (migrations
at start) and every row of every table, and the gap-free journal, are still there, and the
journal goes on from where it was. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import MetaData, Table, create_engine, select, text

from counter_app.store.db import normalise_url
from tests.support.booking import book, slots
from tests.support.databases import fresh_pg_database
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.ports import free_port
from tests.support.queue_ops import act, call_next, issue, journal_seq, ok, set_state

PREVIOUS_RELEASE = "0200b5f"  # the last commit before backups and upgrade checks
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "upgrade-password-1"
START_TIMEOUT = 90.0
# Monday 2 March 2026, 08:30 WIB: the demo office is open (the old server runs on this
# clock, ticking; the current one is frozen a little later the same morning).
OLD_CLOCK = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
NEW_CLOCK = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


# What the migrations since the previous release change on purpose (docs/PRIVACY.md): the
# phone numbers of bookings are erased, and the NIK key derived from the in-database secret
# moves out to its own file (only the form key stays in ``server_secrets``).
CHANGED_ON_PURPOSE = {"server_secrets"}
ERASED_COLUMNS = {("bookings", "phone")}


def old_rows(url: str, tables: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Every row of every table as the previous release made it: the tables and columns
    read from the database itself (reflection), or those of ``tables``, in key order."""
    engine = create_engine(normalise_url(url))
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        names = tables or {
            name: [column.name for column in table.columns]
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }
        rows: dict[str, Any] = {"__columns__": names}
        with engine.connect() as connection:
            for name, columns in names.items():
                table: Table = metadata.tables[name]
                picked = [table.c[column] for column in columns]
                order = list(table.primary_key.columns) or picked
                rows[name] = [
                    tuple(row) for row in connection.execute(select(*picked).order_by(*order))
                ]
        return rows
    finally:
        engine.dispose()


def without_changes_on_purpose(rows: dict[str, Any]) -> dict[str, Any]:
    kept = {name: value for name, value in rows.items() if name not in CHANGED_ON_PURPOSE}
    for table, column in ERASED_COLUMNS:
        index = rows["__columns__"][table].index(column)
        kept[table] = [row[:index] + row[index + 1 :] for row in rows[table]]
    return kept


# The previous release's CLI on a clock travelled to OLD_CLOCK (time-machine, a test tool).
LAUNCH = f"""
import sys, datetime, time_machine
time_machine.travel(datetime.datetime.fromisoformat({OLD_CLOCK.isoformat()!r}), tick=True).start()
from counter_app.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def export_previous_release(into: Path) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs the git history of the repository")
    tree = into / "previous"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", PREVIOUS_RELEASE],
        capture_output=True,
        check=True,
        timeout=60,
    )
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True, timeout=60)
    # The wheel maps resources/ to counter_app.resources; from the tree a link does it.
    (tree / "counter_app" / "resources").symlink_to(tree / "resources")
    return tree


@contextmanager
def previous_server(tree: Path, db_url: str, workdir: Path) -> Iterator[tuple[str, str]]:
    """The previous release's demo server on ``db_url``: (its address, the kiosk token)."""
    port = free_port()
    out = workdir / "previous.out"
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "COUNTER_APP_DEMO_PASSWORD": PASSWORD,
    }
    with out.open("w") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCH,
                "demo",
                "--headless",
                "--db",
                db_url,
                "--port",
                str(port),
            ],
            cwd=workdir,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, out.read_text()
            assert time.monotonic() < deadline, out.read_text()
            try:
                if requests.get(f"{url}/api/v1/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        printed = out.read_text()
        kiosk = next(
            line.split(": ", 1)[1].strip()
            for line in printed.splitlines()
            if "device token for 'Kiosk lobi'" in line
        )
        yield url, kiosk
    finally:
        process.terminate()
        process.wait(timeout=30)


def ids(db_url: str) -> tuple[int, dict[str, int], dict[int, int]]:
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as connection:
            branch = connection.scalar(text("SELECT id FROM branches ORDER BY id LIMIT 1"))
            services = dict(connection.execute(text("SELECT prefix, id FROM services")).all())
            counters = dict(connection.execute(text("SELECT number, id FROM counters")).all())
    finally:
        engine.dispose()
    assert branch is not None
    return int(branch), services, counters


def fill_a_morning(url: str, kiosk_token: str, db_url: str) -> None:
    """Tickets in every state, a transfer, bookings and survey answers, over the old API."""
    anon = Api(url)
    kiosk = anon.as_token(kiosk_token)
    _branch, services, counters = ids(db_url)
    officers = [anon.login(name, PASSWORD) for name in ("petugas1", "petugas2")]
    for officer, number in zip(officers, (1, 2), strict=True):
        set_state(officer, counters[number], "open")
    tickets = [issue(kiosk, services["A" if i % 3 else "B"]) for i in range(15)]
    done: list[dict[str, Any]] = []
    for round_ in range(5):
        for officer, number in zip(officers, (1, 2), strict=True):
            called = call_next(officer, counters[number])
            if called is None:
                continue
            if round_ == 1 and number == 2:
                act(officer, called["id"], "skip")
            elif round_ == 2 and number == 1:
                act(officer, called["id"], "transfer", {"counter_id": counters[2]})
            else:
                act(officer, called["id"], "start")
                done.append(act(officer, called["id"], "finish"))
    act(anon.login("supervisor", PASSWORD), tickets[-1]["id"], "cancel")
    for ticket in done[:4]:
        answers = {f"u{i}": 1 + (i + ticket["id"]) % 4 for i in range(1, 10)}
        ok(anon.post(f"/api/v1/public/tickets/{ticket['code']}/survey", answers), 201)
    days = slots(anon, services["A"])["days"]
    open_slots = [s["start"] for d in days[1:] for s in d["slots"] if s["remaining"]]
    for serial, start in enumerate(open_slots[:3], start=1):
        book(anon, services["A"], start, serial, phone="081234567890")  # the old API asks it


def journal_by_branch(db_url: str) -> dict[int, list[int]]:
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT branch_id, seq FROM events ORDER BY id")).all()
    finally:
        engine.dispose()
    found: dict[int, list[int]] = {}
    for branch, seq in rows:
        found.setdefault(int(branch), []).append(int(seq))
    return found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'office.sqlite3'}"
        return
    with fresh_pg_database() as url:
        yield url


@pytest.mark.slow
def test_upgrade_keeps_every_row(
    empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This database's own NIK key file: its old in-database key moves out into it.
    monkeypatch.setenv("COUNTER_APP_NIK_KEY_FILE", str(tmp_path / "nik-keys"))
    tree = export_previous_release(tmp_path)
    with previous_server(tree, empty_db, tmp_path) as (url, kiosk_token):
        fill_a_morning(url, kiosk_token, empty_db)
    before = old_rows(empty_db)
    # 15 issued, and the transferred one continues as a row of its own.
    assert len(before["tickets"]) == 16 and len(before["survey_responses"]) == 4
    assert len(before["bookings"]) == 3
    journal = journal_by_branch(empty_db)
    branch, services, _counters = ids(empty_db)
    assert journal[branch] == list(range(1, len(journal[branch]) + 1))

    with run_server(empty_db, clock=FrozenClock(NEW_CLOCK)) as server:
        anon = Api(server.url)
        after = old_rows(empty_db, before["__columns__"])
        assert without_changes_on_purpose(after) == without_changes_on_purpose(before)
        phone = before["__columns__"]["bookings"].index("phone")
        assert all(row[phone] for row in before["bookings"])  # as the old release kept it
        assert {row[phone] for row in after["bookings"]} == {None}
        assert journal_by_branch(empty_db) == journal
        officer = anon.login("petugas1", PASSWORD)
        assert journal_seq(officer, branch) == journal[branch][-1]
        kiosk = anon.as_token(kiosk_token)
        newest = max(t[0] for t in before["tickets"])
        ticket = issue(kiosk, services["A"])
        assert ticket["id"] > newest
        # The journal goes on without a gap.
        assert journal_seq(officer, branch) == journal[branch][-1] + 1
    assert journal_by_branch(empty_db)[branch] == list(range(1, len(journal[branch]) + 2))
