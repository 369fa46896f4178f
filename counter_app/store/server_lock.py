"""Knowing whether a server is using a database, so a restore never overwrites it under it.

SQLite: the server holds an exclusive OS lock on ``<database>.server-lock`` beside the file
for as long as it runs (``ServerLock``); the lock goes with the process, so a killed server
leaves nothing to clean up. A restore takes the same lock, which also keeps a server from
starting while the file is being replaced.

PostgreSQL: server processes connect with the application name ``SERVER_APPLICATION_NAME``;
``postgres_servers`` counts their sessions on a database (``pg_stat_activity``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

SERVER_APPLICATION_NAME = "counter-app server"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database)).expanduser()


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".server-lock")


class ServerLock:
    """An exclusive, non-blocking lock on a SQLite database's lock file."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        """Take the lock; False (and nothing held) if another process has it."""
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open while locked
        try:
            _lock(handle)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is None:
            return
        try:
            _unlock(self._file)
        finally:
            self._file.close()
            self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def postgres_servers(engine: Engine) -> int:
    """How many server sessions (other than ours) are connected to this PostgreSQL database."""
    with engine.connect() as connection:
        found = connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": SERVER_APPLICATION_NAME},
        )
    return int(found or 0)
