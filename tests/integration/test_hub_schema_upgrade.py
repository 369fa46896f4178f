"""A hub database made before the regional view gets its tables and indexes at the next
start (hub.store.create_schema), and starting again changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect

from counter_app.hub.models import HubBase
from counter_app.hub.store import create_schema
from counter_app.store.db import normalise_url
from tests.support.databases import fresh_pg_database

pytestmark = [pytest.mark.postgres]
FIRST_TABLES = ("hub_branches", "hub_events", "hub_users", "hub_tokens")


def test_an_older_hub_database_gets_the_new_tables_and_indexes() -> None:
    with fresh_pg_database() as url:
        engine = create_engine(normalise_url(url))
        try:
            old = [HubBase.metadata.tables[name] for name in FIRST_TABLES]
            HubBase.metadata.create_all(engine, tables=old)
            assert set(inspect(engine).get_table_names()) == set(FIRST_TABLES)
            create_schema(engine)
            create_schema(engine)  # a second process, or the next start
            found = inspect(engine)
            assert set(found.get_table_names()) == set(HubBase.metadata.tables)
            indexes = {i["name"] for i in found.get_indexes("hub_events")}
            assert {"ix_hub_events_service_day", "ix_hub_events_counter_state"} <= indexes
        finally:
            engine.dispose()
