"""A clock for simulated office days: it starts at a chosen instant and runs at ``speed`` x
real time (``speed`` 0: it stands still until moved), and the simulator may move it forward
through ``POST /api/v1/sim/clock``.

It is only ever used by a server started with ``--simulation-clock``, and that flag is refused
unless the database is one made for simulation (``simulation_refusal``): a real office's data
must never receive tickets stamped with an invented time. See docs/SIMULATOR.md.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import Final

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SQLITE_SUFFIX: Final = ".sim.sqlite3"
POSTGRES_SUFFIX: Final = "_sim"


class SimulationClock:
    """Thread-safe; call it for the simulated "now" (timezone-aware UTC)."""

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulation start needs a time zone")
        if speed < 0:
            raise ValueError("the simulation speed cannot be negative")
        self._lock = threading.Lock()
        self._base = start.astimezone(UTC)
        self._base_mono = time.monotonic()
        self._speed = speed

    def __call__(self) -> datetime:
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        elapsed = (time.monotonic() - self._base_mono) * self._speed
        return self._base + timedelta(seconds=elapsed)

    @property
    def speed(self) -> float:
        return self._speed

    def set(self, at: datetime | None, speed: float | None = None) -> datetime:
        """Move to ``at`` (never backwards) and/or change the speed; returns the new "now".

        Raises ``ValueError`` for a move into the past: tickets, sessions and the journal would
        see time run backwards."""
        if at is not None and at.tzinfo is None:
            raise ValueError("the time needs a time zone")
        if speed is not None and speed < 0:
            raise ValueError("the simulation speed cannot be negative")
        with self._lock:
            current = self._now_locked()
            target = current if at is None else at.astimezone(UTC)
            if target < current:
                raise ValueError(
                    f"the simulation clock is at {current.isoformat()}; it cannot go back to "
                    f"{target.isoformat()}"
                )
            self._base = target
            self._base_mono = time.monotonic()
            if speed is not None:
                self._speed = speed
            return target


def is_simulation_database(db_url: str) -> bool:
    """A database made for simulation: a SQLite file named ``*.sim.sqlite3`` or a PostgreSQL
    database named ``*_sim``. Nothing else may run under a simulation clock."""
    try:
        url = make_url(db_url)
    except ArgumentError:
        return False
    name = url.database or ""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return name not in ("", ":memory:") and PurePath(name).name.endswith(SQLITE_SUFFIX)
    if backend == "postgresql":
        return name.endswith(POSTGRES_SUFFIX) and len(name) > len(POSTGRES_SUFFIX)
    return False


def simulation_refusal(db_url_on_command_line: str | None) -> str | None:
    """Why a server may not start with a simulation clock, or ``None`` if it may.

    The rule: the database must be named on the command line (``--db``), never taken from the
    environment or the default (that is how the installed service finds its real database),
    and it must be a simulation database (``is_simulation_database``)."""
    if not db_url_on_command_line:
        return (
            "--simulation-clock needs --db naming a simulation database "
            f"(a SQLite file ending in {SQLITE_SUFFIX} or a PostgreSQL database ending in "
            f"{POSTGRES_SUFFIX}); the configured or default database is never used with it"
        )
    if not is_simulation_database(db_url_on_command_line):
        return (
            f"--simulation-clock refuses this database: its name must end in {SQLITE_SUFFIX} "
            f"(SQLite) or {POSTGRES_SUFFIX} (PostgreSQL), so a real office's data never gets "
            "invented times"
        )
    return None
