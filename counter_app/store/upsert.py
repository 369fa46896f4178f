"""The database's own INSERT with ``ON CONFLICT`` (both SQLite and PostgreSQL have one).

PostgreSQL's is imported only for a PostgreSQL database: importing SQLAlchemy's PostgreSQL
dialect costs a server on SQLite 2.4 MiB and 20 ms of its start (docs/PERFORMANCE.md), and a
server on PostgreSQL has it loaded by its engine anyway."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def insert_for(dialect: str) -> Callable[..., Any]:
    """``insert`` of the dialect named ``dialect`` (``Dialect.name``)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
