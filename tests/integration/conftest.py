"""Fixtures of the integration tests: a live server with the demo office on a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.booking import Booking
from tests.support.databases import fresh_pg_database, pg_database_name
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def bk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Booking]:
    clock = FrozenClock(START)
    limits = {"booking_client_burst": 10_000, "booking_nik_burst": 100}
    if request.param == "sqlite":
        template: OfficeTemplate = request.getfixturevalue("sqlite_office_template")
        with run_server(sqlite_copy(template, tmp_path), clock=clock, **limits) as server:
            yield Booking(server, template.office, clock, Api(server.url))
        return
    template = request.getfixturevalue("pg_office_template")
    with (
        fresh_pg_database(template=pg_database_name(template.url)) as url,
        run_server(url, clock=clock, **limits) as server,
    ):
        yield Booking(server, template.office, clock, Api(server.url))
