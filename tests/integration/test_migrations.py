"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from counter_app.store.db import normalise_url
from counter_app.store.migrate import upgrade
from counter_app.store.models import Base


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
