"""A database last migrated by a newer version (a revision this code does not know) is refused
at start with a clear message, and nothing in it is changed, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from counter_app.cli import main
from counter_app.config import Settings
from counter_app.server.app import create_app
from counter_app.store.db import normalise_url
from counter_app.store.migrate import NewerSchemaError, upgrade

FUTURE = "f999_from_the_future"


def schema_of(url: str) -> dict[str, list[str]]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            return {
                name: sorted(c["name"] for c in found.get_columns(name))
                for name in found.get_table_names()
            }
    finally:
        engine.dispose()


def test_newer_database_is_refused_untouched(db_url: str, capsys: Any) -> None:
    engine = create_engine(normalise_url(db_url))
    try:
        upgrade(engine)
        with engine.begin() as connection:
            # What a newer version would leave: its revision, and a table this one lacks.
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
            connection.execute(text("CREATE TABLE from_the_future (id INTEGER PRIMARY KEY)"))
    finally:
        engine.dispose()
    before = schema_of(db_url)
    with pytest.raises(NewerSchemaError, match="newer version of counter-app"):
        create_app(Settings(db_url=db_url), sweep=False)
    assert main(["migrate", "--db", db_url]) == 2
    message = capsys.readouterr().err
    assert FUTURE in message and "Nothing was changed" in message
    assert schema_of(db_url) == before
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == FUTURE
    finally:
        engine.dispose()
