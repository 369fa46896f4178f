"""The hub end to end: real hub and branch processes (docs/HUB.md).

Branches on SQLite push their journals to a hub on PostgreSQL; the hub's copy must equal each
branch's journal (seq, kind, payload hash), survive the hub going away and coming back, ignore
repeated and overlapping pushes, refuse gaps, and refuse a branch restored from an old backup.
"""

from __future__ import annotations

import gzip
import json
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from counter_app.schemas.hub import event_hash
from tests.e2e.hub_processes import (
    HUB_API,
    HubProcess,
    add_branch,
    branch_journal,
    hub_cli,
    hub_sync,
    wait_for,
)
from tests.e2e.private_pg import PrivatePostgres
from tests.e2e.processes import (
    Client,
    ServerPool,
    ServerProcess,
    journal_head,
    login,
    office_toml,
    run_setup,
    service_ids,
)
from tests.support.databases import fresh_pg_database

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def hub_db() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def hub(hub_db: str, tmp_path: Path) -> Iterator[HubProcess]:
    done = hub_cli("init", "--db", hub_db)
    assert done.returncode == 0, done.stderr
    process = HubProcess(hub_db, tmp_path / "hub.log", workers=2)
    try:
        yield process.start()
    finally:
        process.stop()


class Branch:
    def __init__(
        self,
        pool: ServerPool,
        tmp: Path,
        name: str,
        hub: HubProcess,
        key: str,
        env: dict[str, str] | None = None,
    ) -> None:
        self.dir = tmp / name
        self.dir.mkdir()
        self.path = self.dir / "office.sqlite3"
        self.db_url = f"sqlite:///{self.path}"
        self.kiosk_token = run_setup(self.db_url, office_toml(counters=2, code=name), self.dir)
        env = {"COUNTER_APP_HUB_URL": hub.url, "COUNTER_APP_HUB_KEY": key, **(env or {})}
        self.server = ServerProcess(self.db_url, pool.log_dir / f"{name}.log", name=name, env=env)
        pool.started.append(self.server)

    def start(self) -> Branch:
        self.server.start()
        self.kiosk = Client(self.server.url, self.kiosk_token)
        supervisor = login(self.server.url, "supervisor")
        self.branch_id = int(supervisor.get("/auth/me").json()["branch_id"])
        self.services = service_ids(supervisor, self.branch_id)
        self.supervisor = supervisor
        return self

    def issue(self, count: int) -> None:
        for _ in range(count):
            r = self.kiosk.post("/tickets", {"service_id": self.services["A"]})
            assert r.status_code == 201, r.text

    def seq(self) -> int:
        return journal_head(self.supervisor, self.branch_id)


def _synced(hub: HubProcess, admin: requests.Session, hub_id: int, branch: Branch) -> bool:
    row = next(b for b in hub.status(admin) if b["id"] == hub_id)
    return bool(row["hub_seq"] == branch.seq() and hub_sync(branch.server.url)["state"] == "synced")


@pytest.mark.slow
def test_two_branches_copy_equals_journal_and_supervisor_sees_region(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    key_a = add_branch(hub.db_url, "Kecamatan Cibeber", region="Cianjur")
    key_b = add_branch(hub.db_url, "Kecamatan Cilaku", region="Bandung")
    a = Branch(servers, tmp_path, "cibeber", hub, key_a).start()
    b = Branch(servers, tmp_path, "cilaku", hub, key_b).start()
    for _ in range(5):  # a day of tickets, in rounds, while the pushers run
        a.issue(8)
        b.issue(5)
    admin = hub.login()
    ids = {row["name"]: row["id"] for row in hub.status(admin)}
    wait_for(
        "both branches synced",
        lambda: all(
            _synced(hub, admin, ids[n], br)
            for n, br in (("Kecamatan Cibeber", a), ("Kecamatan Cilaku", b))
        ),
        timeout=20,
    )
    for name, branch, tickets in (("Kecamatan Cibeber", a, 40), ("Kecamatan Cilaku", b, 25)):
        assert hub.copy_of(admin, ids[name]) == branch_journal(branch.path)
        row = next(r for r in hub.status(admin) if r["id"] == ids[name])
        # The branch's snapshot sequence and the hub's agree once synced; so do the figures.
        assert row["hub_seq"] == branch.seq() == row["figures_seq"]
        assert row["waiting"] == tickets
        assert row["last_sync_at"] is not None
    # A regional supervisor sees their region's branches only, and no other branch's events.
    done = hub_cli(
        "add-user",
        "pengawas",
        "--region",
        "Cianjur",
        "--db",
        hub.db_url,
        env={"COUNTER_APP_NEW_PASSWORD": "e2e-password-1"},
    )
    assert done.returncode == 0, done.stderr
    regional = hub.login("pengawas")
    assert [r["name"] for r in hub.status(regional)] == ["Kecamatan Cibeber"]
    other = regional.get(
        f"{hub.url}{HUB_API}/branches/{ids['Kecamatan Cilaku']}/events", timeout=10
    )
    assert other.status_code == 404
    servers.assert_no_alarms()


@pytest.mark.slow
def test_hub_away_then_back_branch_catches_up_by_itself(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    a = Branch(servers, tmp_path, "cibeber", hub, add_branch(hub.db_url, "Cibeber")).start()
    admin = hub.login()
    a.issue(5)
    wait_for("first sync", lambda: _synced(hub, admin, 1, a), timeout=15)
    hub.stop()
    a.issue(30)  # the branch works on while the hub is away
    wait_for("the branch to notice", lambda: hub_sync(a.server.url)["state"] == "down", 15)
    # Back, then killed at once (likely mid-push), then back again: nothing lost or doubled.
    hub.start()
    a.issue(10)
    hub.stop(kill=True)
    a.issue(5)
    hub.start()
    admin = hub.login()
    wait_for("catch-up", lambda: _synced(hub, admin, 1, a), timeout=25)
    assert hub.copy_of(admin, 1) == branch_journal(a.path)
    assert hub.status(admin)[0]["waiting"] == 50


class _Issuing:
    """Issue tickets at a branch from a thread until stopped; refusals are counted, not fatal
    (the branch keeps working whatever the hub's database does)."""

    def __init__(self, branch: Branch, pause: float = 0.05) -> None:
        self.branch, self.pause = branch, pause
        self.issued = 0
        self.failed: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            r = self.branch.kiosk.post("/tickets", {"service_id": self.branch.services["A"]})
            if r.status_code == 201:
                self.issued += 1
            else:
                self.failed.append(r.text)
            time.sleep(self.pause)

    def __enter__(self) -> _Issuing:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)


@pytest.mark.slow
def test_postgresql_restart_under_the_hub_loses_and_doubles_nothing(
    servers: ServerPool, tmp_path: Path
) -> None:
    """The hub's own PostgreSQL stops (fast: sessions cut off mid-push) and starts again while
    a branch pushes: the hub process lives on, the branch catches up by itself, and the hub's
    copy equals the branch's journal."""
    pg = PrivatePostgres(tmp_path)
    try:
        pg.init().start()
        db_url = pg.create_database("hub")
        done = hub_cli("init", "--db", db_url)
        assert done.returncode == 0, done.stderr
        hub = HubProcess(db_url, tmp_path / "hub.log", workers=2).start()
        try:
            a = Branch(servers, tmp_path, "cibeber", hub, add_branch(db_url, "Cibeber")).start()
            admin = hub.login()
            a.issue(5)
            wait_for("first sync", lambda: _synced(hub, admin, 1, a), timeout=15)
            with _Issuing(a) as issuing:
                time.sleep(1.0)  # pushes in flight
                pg.stop("fast")
                # The branch works on; its pushes fail meanwhile.
                wait_for("the branch to see the hub down", lambda: _hub_down(a), timeout=15)
                assert hub.running()
                pg.start()
                time.sleep(1.0)
                # And once more right after it is back, cutting off the fresh connections.
                pg.stop("fast")
                pg.start()
                time.sleep(1.0)
            assert issuing.failed == [] and issuing.issued > 20, issuing.failed[:3]
            assert hub.running()
            admin = hub.login()
            wait_for("catch-up", lambda: _synced(hub, admin, 1, a), timeout=30)
            assert hub.copy_of(admin, 1) == branch_journal(a.path)
            assert hub.status(admin)[0]["waiting"] == 5 + issuing.issued
            assert hub.running()
        finally:
            hub.stop()
    finally:
        pg.close()
    # The outage was answered (503, "database_unavailable"), never an unhandled error.
    log = (tmp_path / "hub.log").read_text(errors="replace")
    assert "Traceback" not in log and "Exception in ASGI" not in log, log[-3000:]
    assert "hub database unavailable" in log


def _hub_down(branch: Branch) -> bool:
    state = hub_sync(branch.server.url)
    return bool(state["state"] == "down" and "503" in str(state.get("error")))


def _push(
    hub: HubProcess, key: str, events: list[dict[str, Any]], *, gzipped: bool = True
) -> requests.Response:
    body = json.dumps({"events": events}).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return requests.post(f"{hub.url}{HUB_API}/journal", data=body, headers=headers, timeout=30)


def _events(first: int, last: int, tag: str = "x") -> list[dict[str, Any]]:
    at = datetime(2026, 12, 3, 2, 0, tzinfo=UTC).isoformat()
    return [
        {"seq": s, "kind": "ticket_issued", "at": at, "payload": {"seq": s, "tag": tag}}
        for s in range(first, last + 1)
    ]


def test_direct_pushes_duplicates_overlaps_gaps_and_conflicts(hub: HubProcess) -> None:
    key = add_branch(hub.db_url, "Langsung")
    cursor = requests.get(
        f"{hub.url}{HUB_API}/journal/cursor", headers={"Authorization": f"Bearer {key}"}, timeout=10
    )
    assert cursor.json() == {"branch_id": 1, "hub_seq": 0, "last_hash": None}
    first = _push(hub, key, _events(1, 10))
    assert first.status_code == 200 and first.json() == {"hub_seq": 10, "accepted": 10}
    again = _push(hub, key, _events(1, 10), gzipped=False)  # repeated: no change
    assert again.status_code == 200 and again.json() == {"hub_seq": 10, "accepted": 0}
    overlap = _push(hub, key, _events(6, 15))  # overlapping: only the new ones kept
    assert overlap.json() == {"hub_seq": 15, "accepted": 5}
    gap = _push(hub, key, _events(18, 20))
    assert gap.status_code == 409
    assert gap.json()["error"] == "hub_gap" and gap.json()["hub_seq"] == 15
    conflict = _push(hub, key, _events(14, 16, tag="other"))
    assert conflict.status_code == 409
    assert conflict.json()["error"] == "hub_history_conflict" and conflict.json()["seq"] == 14
    holes = _push(hub, key, [*_events(16, 16), *_events(18, 18)])
    assert holes.status_code == 422 and holes.json()["error"] == "hub_not_consecutive"
    bad_key = _push(hub, "not-a-key-at-all-really", _events(16, 16))
    assert bad_key.status_code == 401
    junk = requests.post(
        f"{hub.url}{HUB_API}/journal",
        data=b"\x1f\x8bjunk",
        timeout=10,
        headers={"Authorization": f"Bearer {key}", "Content-Encoding": "gzip"},
    )
    assert junk.status_code == 400 and junk.json()["error"] == "bad_request"
    admin = hub.login()
    copy = hub.copy_of(admin, 1)
    assert [seq for seq, _, _ in copy] == list(range(1, 16))
    assert [h for _, _, h in copy] == [event_hash(e["payload"]) for e in _events(1, 15)]


@pytest.mark.slow
def test_branch_restored_from_old_backup_is_refused_not_merged(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    a = Branch(servers, tmp_path, "cibeber", hub, add_branch(hub.db_url, "Cibeber")).start()
    admin = hub.login()
    a.issue(3)
    wait_for("first sync", lambda: _synced(hub, admin, 1, a), timeout=15)
    a.server.stop()
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(a.path, backup)
    a.start()
    a.issue(6)
    wait_for("second sync", lambda: _synced(hub, admin, 1, a), timeout=15)
    held = hub.copy_of(admin, 1)
    a.server.stop()
    for suffix in ("-wal", "-shm"):
        Path(f"{a.path}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, a.path)  # the office restores last week's copy
    a.start()
    wait_for("conflict reported", lambda: hub_sync(a.server.url)["state"] == "conflict", 15)
    state = hub_sync(a.server.url)
    assert "older backup" in state["error"], state
    assert state["local_seq"] < len(held), state
    a.issue(20)  # its journal now runs past the hub's, with other events at the same numbers
    wait_for("still refused", lambda: hub_sync(a.server.url)["local_seq"] > len(held), 25)
    assert hub_sync(a.server.url)["state"] == "conflict"
    assert hub.copy_of(admin, 1) == held  # nothing merged
    assert "hub sync stopped" in a.server.log_text()


def test_hub_refuses_sqlite(tmp_path: Path) -> None:
    done = hub_cli("--db", f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    assert done.returncode == 2
    assert "the hub needs PostgreSQL" in done.stderr
