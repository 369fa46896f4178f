"""Apply Alembic migrations at start (and from ``counter-app migrate``).

Several server processes may start at once on one PostgreSQL database: a transaction-level
advisory lock lets one migrate while the others wait, then find nothing left to do.

A database last migrated by a newer version (a revision this code does not know) is refused
before anything is changed (``NewerSchemaError``): running old code on it, or "migrating" it
with scripts that do not know where it stands, could lose data.

A database already at the newest revision (every start but the first after an upgrade) is
recognised without loading Alembic: its revisions are read from the scripts' headers
(``script_revisions``), which spares the server's start some 8 MiB and a good part of its
import time (docs/PERFORMANCE.md, "Install, backup, start").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from counter_app import __version__

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_ADVISORY_LOCK_KEY = 0x636F756E  # "coun"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([^'\"\s]+)", re.M)


class NewerSchemaError(RuntimeError):
    """The database's schema revision is unknown to this version of the code."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"the database was last used by a newer version of counter-app (schema revision "
            f"{revision!r}; this is counter-app {__version__}, whose newest is "
            f"{head_revision()!r}); install that version or newer, or restore a backup made "
            "by this one. Nothing was changed."
        )


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def script_revisions() -> dict[str, str | None]:
    """Each migration script's revision and the one before it, read from the scripts."""
    found: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        fields = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" in fields:
            down = fields.get("down_revision")
            found[fields["revision"]] = None if down in (None, "None") else down
    return found


def head_revision() -> str:
    revisions = script_revisions()
    (head,) = set(revisions) - set(revisions.values())
    return head


def is_known_revision(revision: str) -> bool:
    return revision in script_revisions()


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision (None before the first migration)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if found is None else str(found)


def check_not_newer(revision: str | None) -> None:
    if revision is not None and not is_known_revision(revision):
        raise NewerSchemaError(revision)


def upgrade(engine: Engine) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
        current = current_revision(connection)
        check_not_newer(current)
        if current == head_revision():
            return
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
