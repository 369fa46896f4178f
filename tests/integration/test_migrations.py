"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from counter_app.store.db import normalise_url
from counter_app.store.migrate import upgrade
from counter_app.store.models import PARTIAL_INDEX_WHERE, Base
from tests.support.databases import fresh_pg_database


def test_migrations_match_models(db_url: str) -> None:
    engine = create_engine(normalise_url(db_url))
    try:
        upgrade(engine)
        upgrade(engine)  # a second run finds nothing to do
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert {"tickets", "events", "branch_sequences", "idempotency_records"} <= tables


def _partial_index_conditions(url: str) -> dict[str, str]:
    """Each partial index's condition as the database reports it, by index name."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            where = f"{conn.dialect.name}_where"
            return {
                str(index["name"]): str(index.get("dialect_options", {}).get(where, ""))
                for table in found.get_table_names()
                for index in found.get_indexes(table)
                if index["name"] in PARTIAL_INDEX_WHERE
            }
    finally:
        engine.dispose()


def test_the_partial_indexes_of_the_migrations_and_of_the_models_are_the_same(
    db_url: str, tmp_path: Path
) -> None:
    """Alembic's comparison does not look at an index's condition: the migrations' partial
    indexes and those the models create (on PostgreSQL with the conditions they attach on
    connecting, store/models.py) are compared as each database reports them."""
    engine = create_engine(normalise_url(db_url))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    migrated = _partial_index_conditions(db_url)
    with ExitStack() as stack:
        if db_url.startswith("sqlite"):
            models_url = f"sqlite:///{tmp_path / 'from_models.sqlite3'}"
        else:
            models_url = stack.enter_context(fresh_pg_database())
        engine = create_engine(normalise_url(models_url))
        try:
            Base.metadata.create_all(engine)
        finally:
            engine.dispose()
        from_models = _partial_index_conditions(models_url)
    assert set(migrated) == set(PARTIAL_INDEX_WHERE)
    assert all(migrated.values()), migrated  # each one has its condition
    assert from_models == migrated
