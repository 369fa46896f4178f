"""The nightly backup: due at the set local time in the branch's zone (never at start), one a
night, the newest ``backup_keep`` kept; driven by an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from counter_app.config import Settings
from counter_app.server.app import open_database
from counter_app.server.nightly import NightlyBackups
from counter_app.store import backup
from tests.conftest import OfficeTemplate


def test_nightly_backups_keep_the_newest(sqlite_office_db: OfficeTemplate, tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    settings = Settings(
        db_url=sqlite_office_db.url, backup_dir=directory, backup_keep=3, backup_time="02:30"
    )
    db = open_database(settings)
    try:
        nightly = NightlyBackups(settings, db)
        # Monday 2 March 2026, 10:00 WIB (UTC+7): the first backup is due Tuesday 02:30 WIB.
        now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
        taken = []
        for _ in range(6 * 24 * 4):  # six days in 15-minute steps (the sweep's rhythm)
            found = nightly.tick(now)
            if found is not None:
                taken.append((now, found))
            now += timedelta(minutes=15)
    finally:
        db.dispose()
    # Tuesday to Sunday nights, 02:30 WIB = 19:30 UTC the day before: six backups.
    assert [when for when, _ in taken] == [
        datetime(2026, 3, day, 19, 30, tzinfo=UTC) for day in range(2, 8)
    ]
    kept = backup.backups_of(directory, settings.db_url)
    assert kept == [path for _, path in taken[-3:]]
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        f"{p.name}{suffix}" for p in kept for suffix in ("", ".json", ".sha256")
    )
    for path in kept:
        backup.verify(path)


def test_nightly_off(sqlite_office_db: OfficeTemplate, tmp_path: Path) -> None:
    settings = Settings(
        db_url=sqlite_office_db.url, backup_dir=tmp_path / "b", backup_nightly=False
    )
    db = open_database(settings)
    try:
        nightly = NightlyBackups(settings, db)
        now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
        for _ in range(3):
            assert nightly.tick(now) is None
            now += timedelta(days=1)
    finally:
        db.dispose()
    assert not (tmp_path / "b").exists()


def test_the_housekeeping_loop_takes_the_nightly_backup(
    sqlite_office_db: OfficeTemplate, tmp_path: Path
) -> None:
    """Through the server's own sweeper task, on its clock."""
    import time
    import warnings

    from counter_app.server.app import create_app

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient
    directory = tmp_path / "backups"
    settings = Settings(
        db_url=sqlite_office_db.url, backup_dir=directory, expiry_sweep_seconds=0.05
    )
    morning, night = datetime(2026, 3, 2, 3, 0, tzinfo=UTC), datetime(2026, 3, 2, 19, 1, tzinfo=UTC)
    calls: list[datetime] = []

    def clock() -> datetime:
        """10:00 WIB for the app's start, the first sweep and the first backup check (which
        schedules the night's backup), then 02:01 WIB on Tuesday."""
        calls.append(morning if len(calls) < 3 else night)
        return calls[-1]

    app = create_app(settings, clock=clock, sweep=True)
    with TestClient(app):
        deadline = time.monotonic() + 20
        while not backup.backups_of(directory, settings.db_url):
            assert time.monotonic() < deadline, "no nightly backup within 20 s"
            time.sleep(0.05)
        time.sleep(0.3)  # more sweeps the same night take no second one
    (taken,) = backup.backups_of(directory, settings.db_url)
    assert "2026-03-02T1901" in taken.name
    backup.verify(taken)
