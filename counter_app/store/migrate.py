"""Apply Alembic migrations at start (and from ``counter-app migrate``).

Several server processes may start at once on one PostgreSQL database: a transaction-level
advisory lock lets one migrate while the others wait, then find nothing left to do.

A database last migrated by a newer version (a revision this code does not know) is refused
before anything is changed (``NewerSchemaError``): running old code on it, or "migrating" it
with scripts that do not know where it stands, could lose data.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text

from counter_app import __version__

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_ADVISORY_LOCK_KEY = 0x636F756E  # "coun"


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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision (None before the first migration)."""
    return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(revision: str | None) -> None:
    if revision is not None and not is_known_revision(revision):
        raise NewerSchemaError(revision)


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
        check_not_newer(current_revision(connection))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
