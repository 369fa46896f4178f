"""Backups taken while the server runs, restored after it stops: the office is back exactly as
it was at the backup (later tickets gone), on SQLite and PostgreSQL; and every refusal."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from counter_app.cli import main
from counter_app.store import backup
from counter_app.store.db import normalise_url
from counter_app.store.models import Base
from tests.conftest import OfficeTemplate
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.office import Office
from tests.support.queue_ops import act, call_next, issue, ok, set_state


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the office, in primary-key order."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def some_work(api: Api, office: Office, count: int) -> list[dict[str, Any]]:
    kiosk = api.as_token(office.kiosk_token)
    officer = api.login("petugas1")
    set_state(officer, office.counters[1], "open")
    tickets = [issue(kiosk, office.services["A"]) for _ in range(count)]
    called = call_next(officer, office.counters[1])
    assert called is not None
    act(officer, called["id"], "finish")
    return tickets


def test_round_trip(office_db: OfficeTemplate, tmp_path: Path, capsys: Any) -> None:
    url, office = office_db.url, office_db.office
    backups = tmp_path / "backups"
    with run_server(url) as server:
        api = Api(server.url)
        before = some_work(api, office, 3)
        assert main(["backup", "--db", url, "--to", str(backups)]) == 0
        state_at_backup = table_rows(url)
        after = some_work(api, office, 2)
        (taken,) = backup.backups_of(backups, url)
        # A running server's database is never overwritten.
        assert main(["restore", str(taken), "--db", url, "--force"]) == 2
        assert "server" in capsys.readouterr().err
        assert table_rows(url) != state_at_backup
    args = ["restore", str(taken), "--db", url]
    if not url.startswith("sqlite"):
        # PostgreSQL: a database with tables is replaced only when asked.
        assert main(args) == 2
        assert "--force" in capsys.readouterr().err
        args.append("--force")
    assert main(args) == 0
    assert table_rows(url) == state_at_backup
    with run_server(url) as server:
        api = Api(server.url)
        officer = api.login("petugas1")
        for ticket in before:
            assert ok(officer.get(f"/api/v1/tickets/{ticket['id']}"))["number"] == ticket["number"]
        for ticket in after:
            assert officer.get(f"/api/v1/tickets/{ticket['id']}").status_code == 404
        # Numbering continues from the restored state.
        again = issue(api.as_token(office.kiosk_token), office.services["A"])
        assert again["number"] == after[0]["number"]


def test_manifest_and_checksum_file(sqlite_office_db: OfficeTemplate, tmp_path: Path) -> None:
    taken = backup.take_backup(sqlite_office_db.url, tmp_path)
    assert taken.name.startswith("counter-app-test-") and taken.suffix == ".sqlite3"
    manifest = json.loads(Path(f"{taken}.json").read_text())
    assert manifest["sha256"] == backup.sha256_of(taken)
    assert manifest["schema_revision"] and manifest["backend"] == "sqlite"
    assert Path(f"{taken}.sha256").read_text() == f"{manifest['sha256']}  {taken.name}\n"
    # One self-contained file: no write-ahead log beside it.
    assert not Path(f"{taken}-wal").exists()


def test_refuses_damaged_file(sqlite_office_db: OfficeTemplate, tmp_path: Path) -> None:
    taken = backup.take_backup(sqlite_office_db.url, tmp_path / "b")
    data = bytearray(taken.read_bytes())
    data[len(data) // 2] ^= 0xFF
    taken.write_bytes(bytes(data))
    before = table_rows(sqlite_office_db.url)
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore(taken, sqlite_office_db.url)
    assert table_rows(sqlite_office_db.url) == before


def test_refuses_missing_manifest_and_unreadable(
    sqlite_office_db: OfficeTemplate, tmp_path: Path
) -> None:
    taken = backup.take_backup(sqlite_office_db.url, tmp_path / "b")
    Path(f"{taken}.json").unlink()
    with pytest.raises(backup.BackupError, match="no manifest"):
        backup.restore(taken, sqlite_office_db.url)
    # A file whose checksum matches its manifest but that is not a database.
    bogus = tmp_path / "b" / "counter-app-test-2026-01-01T000000Z.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    manifest = backup.Manifest(
        file=bogus.name,
        sha256=backup.sha256_of(bogus),
        size=bogus.stat().st_size,
        backend="sqlite",
        database="test",
        schema_revision=None,
        app_version="0",
        created_at="2026-01-01T00:00:00+00:00",
    )
    Path(f"{bogus}.json").write_text(manifest.to_json())
    with pytest.raises(backup.BackupError, match="not a readable SQLite"):
        backup.restore(bogus, sqlite_office_db.url)
    assert main(["restore", str(bogus), "--db", sqlite_office_db.url]) == 2


def test_refuses_backup_from_newer_version(
    sqlite_office_db: OfficeTemplate, tmp_path: Path, capsys: Any
) -> None:
    newer = tmp_path / "newer.sqlite3"
    source = Path(sqlite_office_db.url.removeprefix("sqlite:///"))
    with sqlite3.connect(source) as src, sqlite3.connect(newer) as dst:
        src.backup(dst)
        dst.execute("UPDATE alembic_version SET version_num = 'f999_from_the_future'")
    taken = backup.take_backup(f"sqlite:///{newer}", tmp_path / "b")
    assert main(["restore", str(taken), "--db", sqlite_office_db.url]) == 2
    assert "newer version" in capsys.readouterr().err


def test_refuses_kind_mismatch(sqlite_office_db: OfficeTemplate, tmp_path: Path) -> None:
    taken = backup.take_backup(sqlite_office_db.url, tmp_path / "b")
    with pytest.raises(backup.BackupError, match="sqlite backup"):
        backup.restore(taken, "postgresql://postgres@127.0.0.1:5432/nowhere")


def test_restore_keeps_the_replaced_file(sqlite_office_db: OfficeTemplate, tmp_path: Path) -> None:
    url = sqlite_office_db.url
    taken = backup.take_backup(url, tmp_path / "b")
    database = Path(url.removeprefix("sqlite:///"))
    backup.restore(taken, url)
    kept = list(database.parent.glob(f"{database.name}.before-restore-*"))
    assert len(kept) == 1
    assert table_rows(f"sqlite:///{kept[0]}") == table_rows(url)


def test_backup_of_missing_database_is_a_clear_error(tmp_path: Path, capsys: Any) -> None:
    url = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    assert main(["backup", "--db", url, "--to", str(tmp_path / "b")]) == 2
    assert "no database" in capsys.readouterr().err


def test_backup_holds_no_secret_kept_outside_the_database(
    sqlite_office_db: OfficeTemplate, tmp_path: Path
) -> None:
    secret = "outside-the-database-" + "k" * 24
    with run_server(sqlite_office_db.url, booking_secret=secret) as server:
        some_work(Api(server.url), sqlite_office_db.office, 1)
        taken = backup.take_backup(sqlite_office_db.url, tmp_path / "b")
    for path in (taken, Path(f"{taken}.json"), Path(f"{taken}.sha256")):
        assert secret.encode() not in path.read_bytes()
