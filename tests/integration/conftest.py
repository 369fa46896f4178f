"""Fixtures of the integration tests: a live server with the demo office on a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.support.booking import Booking
from tests.support.databases import fresh_pg_database, pg_database_name
from tests.support.http import Api, serve_in_process
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def office_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OfficeTemplate]:
    """A fresh copy of the demo office's database (no server), on SQLite and on PostgreSQL:
    for tests that start their own server (a frozen clock, a restart) on the demo office.
    Copying the session's template is much cheaper than loading the office again."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_office_db")
        return
    template: OfficeTemplate = request.getfixturevalue("pg_office_template")
    with fresh_pg_database(template=pg_database_name(template.url)) as url:
        yield OfficeTemplate(url, template.office)


@pytest.fixture
def sqlite_office_db(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> OfficeTemplate:
    """A fresh SQLite copy of the demo office's database (no server)."""
    return OfficeTemplate(
        sqlite_copy(sqlite_office_template, tmp_path), sqlite_office_template.office
    )


@pytest.fixture
def in_process(office_db: OfficeTemplate) -> Iterator[Running]:
    """The demo office's app called in process, on SQLite and on PostgreSQL: for tests about
    the API's answers. Event streams, pages in a browser and end-to-end runs keep the live
    server (``running``)."""
    with serve_in_process(office_db.url) as (server, anon):
        yield Running(server, office_db.office, anon)
