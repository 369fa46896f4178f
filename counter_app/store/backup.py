"""Backups and restores of the office's database, safe while the server runs.

A backup is one file named by the database and the UTC time it was taken
(``counter-app-<database>-2026-12-03T140233Z.sqlite3`` or ``.pgdump``) with two files beside
it: ``<file>.json``, a manifest (checksum, schema revision, app version, when, which
database), and ``<file>.sha256`` in the ``sha256sum -c`` format for a technician.

- SQLite: the online backup API copies one consistent snapshot (WAL: the server keeps
  writing meanwhile); the copy is then switched to a plain rollback journal so it is one
  self-contained file.
- PostgreSQL: ``pg_dump`` in its custom format (one consistent snapshot), restored with
  ``pg_restore`` in a single transaction (all or nothing).

Only the database is copied: settings and secrets kept outside it (``COUNTER_APP_*``
variables, the booking secret when set there) are never in a backup.

A restore checks the file first (checksum, readable, schema revision known to this code),
refuses to run while a server uses the database (``store.server_lock``), and, on PostgreSQL,
refuses a database that already has tables unless forced. On SQLite the file it replaces is
kept beside it as ``<database>.before-restore-<time>``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from counter_app import __version__
from counter_app.store import migrate
from counter_app.store.db import normalise_url
from counter_app.store.server_lock import ServerLock, postgres_servers, sqlite_path

PREFIX = "counter-app-"
SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"
MANIFEST_SUFFIX = ".json"
CHECKSUM_SUFFIX = ".sha256"
STAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{6}Z")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


class ServerRunningError(BackupError):
    """A restore refused because a server uses the database."""


@dataclass(frozen=True)
class Manifest:
    file: str
    sha256: str
    size: int
    backend: str
    database: str
    schema_revision: str | None
    app_version: str
    created_at: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def database_label(url: str) -> str:
    """The database's name in backup file names: the SQLite file's stem or the PG name."""
    path = sqlite_path(url)
    raw = path.stem if path is not None else str(make_url(url).database or "database")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", raw) or "database"


def backup_name(url: str, when: datetime) -> str:
    suffix = SQLITE_SUFFIX if sqlite_path(url) is not None else PG_SUFFIX
    return f"{PREFIX}{database_label(url)}-{when.astimezone(UTC).strftime(STAMP_FORMAT)}{suffix}"


def backups_of(directory: Path, url: str) -> list[Path]:
    """This database's backup files in ``directory``, oldest first (by the time in the name)."""
    if not directory.is_dir():
        return []
    head = f"{PREFIX}{database_label(url)}-"
    found = [
        path
        for path in directory.iterdir()
        if path.name.startswith(head)
        and path.suffix in (SQLITE_SUFFIX, PG_SUFFIX)
        and _STAMP.fullmatch(path.name[len(head) :].removesuffix(path.suffix))
    ]
    return sorted(found, key=lambda p: p.name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_sqlite_url(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise BackupError(f"not a SQLite database file: {url}")
    return path


def _schema_revision(url: str) -> str | None:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return migrate.current_revision(connection)
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------- backup


def take_backup(url: str, directory: Path, now: datetime | None = None) -> Path:
    """Copy the database into ``directory``; returns the backup file (manifest beside it)."""
    now = now or datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / backup_name(url, now)
    if target.exists():
        raise BackupError(f"{target} exists already")
    partial = target.with_name(target.name + ".partial")
    try:
        if sqlite_path(url) is not None:
            revision = _backup_sqlite(_check_sqlite_url(url), partial)
        else:
            revision = _schema_revision(url)
            _run_pg(
                ["pg_dump", "--format=custom", "--compress=1", "--no-owner", "--no-privileges"],
                url,
                partial,
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    manifest = Manifest(
        file=target.name,
        sha256=sha256_of(target),
        size=target.stat().st_size,
        backend="sqlite" if sqlite_path(url) is not None else "postgresql",
        database=database_label(url),
        schema_revision=revision,
        app_version=__version__,
        created_at=now.astimezone(UTC).isoformat(),
    )
    _write_beside(target, MANIFEST_SUFFIX, manifest.to_json())
    _write_beside(target, CHECKSUM_SUFFIX, f"{manifest.sha256}  {target.name}\n")
    return target


def _write_beside(target: Path, suffix: str, content: str) -> None:
    path = target.with_name(target.name + suffix)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(content, encoding="utf-8")
    os.replace(partial, path)


def _backup_sqlite(source_path: Path, target: Path) -> str | None:
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): a single read transaction, so one consistent snapshot.
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")
            return _sqlite_revision(copy)
        finally:
            copy.close()
    finally:
        source.close()


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def prune(directory: Path, url: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of this database; returns the deleted."""
    doomed = backups_of(directory, url)[:-keep] if keep > 0 else backups_of(directory, url)
    for path in doomed:
        for suffix in ("", MANIFEST_SUFFIX, CHECKSUM_SUFFIX):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    return doomed


# --------------------------------------------------------------------------------- restore


def verify(path: Path) -> Manifest:
    """Check a backup file: its manifest, checksum, that it reads, and that its schema is not
    newer than this code's. Returns its manifest; raises ``BackupError`` saying what is wrong."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    manifest_path = path.with_name(path.name + MANIFEST_SUFFIX)
    if not manifest_path.is_file():
        raise BackupError(f"{path.name} has no manifest ({manifest_path.name}) beside it")
    try:
        manifest = Manifest(**json.loads(manifest_path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise BackupError(f"{manifest_path.name} is not a backup manifest: {exc}") from None
    if manifest.sha256 != sha256_of(path):
        raise BackupError(
            f"{path.name} is damaged: its checksum differs from the one in {manifest_path.name}"
        )
    if manifest.backend == "sqlite":
        revision = _check_sqlite_file(path)
    elif manifest.backend == "postgresql":
        _check_pg_dump(path)
        revision = manifest.schema_revision
    else:
        raise BackupError(f"{manifest_path.name} names an unknown database kind")
    try:
        migrate.check_not_newer(revision)
    except migrate.NewerSchemaError:
        raise BackupError(
            f"{path.name} was made by a newer version of counter-app (schema revision "
            f"{revision!r}); restore it with that version or newer"
        ) from None
    return manifest


def _check_sqlite_file(path: Path) -> str | None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise BackupError(f"{path.name} is damaged: {result}")
            return _sqlite_revision(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} is not a readable SQLite database: {exc}") from None


def _check_pg_dump(path: Path) -> None:
    result = subprocess.run(
        ["pg_restore", "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{path.name} is not a readable PostgreSQL dump: {result.stderr}")


def restore(path: Path, url: str, *, force: bool = False, now: datetime | None = None) -> Manifest:
    """Put the office's database back as it was in backup ``path``."""
    manifest = verify(path)
    target_is_sqlite = sqlite_path(url) is not None
    if target_is_sqlite != (manifest.backend == "sqlite"):
        raise BackupError(f"{path.name} is a {manifest.backend} backup; the database is not")
    if target_is_sqlite:
        _restore_sqlite(path, _check_sqlite_url(url), now or datetime.now(UTC))
    else:
        _restore_pg(path, url, force=force)
    return manifest


def _restore_sqlite(backup: Path, database: Path, now: datetime) -> None:
    lock = ServerLock(database)
    if not lock.acquire():
        raise ServerRunningError(
            f"a counter-app server is running on {database}; stop it, then restore"
        )
    try:
        if database.exists() and database.stat().st_size > 0:
            keep = database.with_name(
                f"{database.name}.before-restore-{now.astimezone(UTC).strftime(STAMP_FORMAT)}"
            )
            _backup_sqlite(database, keep)
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(database, timeout=30)
            try:
                source.backup(target, pages=-1)
                target.execute("PRAGMA journal_mode=WAL")
            finally:
                target.close()
        finally:
            source.close()
    finally:
        lock.release()


def _restore_pg(backup: Path, url: str, *, force: bool) -> None:
    engine = create_engine(normalise_url(url))
    try:
        if postgres_servers(engine):
            raise ServerRunningError(
                f"a counter-app server is connected to {database_label(url)}; stop every "
                "server process, then restore"
            )
        with engine.connect() as connection:
            tables = connection.scalar(
                text(
                    "SELECT count(*) FROM information_schema.tables"
                    " WHERE table_schema = current_schema()"
                )
            )
        if tables and not force:
            raise BackupError(
                f"the database {database_label(url)} already has {tables} tables; restore into "
                "an empty database, or add --force to replace its contents"
            )
        if tables:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    _run_pg(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ],
        url,
        None,
        dump=backup,
    )


# ------------------------------------------------------------------------------ PostgreSQL


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without its password (that goes in PGPASSWORD, not on a command line)."""
    parsed: URL = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
        parsed = parsed.set(password=None)
    return parsed.render_as_string(hide_password=False), env


def _run_pg(command: list[str], url: str, output: Path | None, dump: Path | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed; install the PostgreSQL client tools "
            "(Debian: apt install postgresql-client)"
        )
    uri, env = _libpq(url)
    args = [*command, f"--dbname={uri}"]
    if output is not None:
        args.append(f"--file={output}")
    if dump is not None:
        args.append(str(dump))
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
