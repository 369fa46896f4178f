"""Shared fixtures: databases (SQLite, fresh PostgreSQL), a live server with the demo office."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import fresh_pg_database
from tests.support.http import Api
from tests.support.live_server import LiveServer, run_server
from tests.support.office import Office, load_demo_office


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Both backends: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        with fresh_pg_database() as url:
            yield url


@dataclass
class Running:
    server: LiveServer
    office: Office
    anon: Api

    def login(self, username: str) -> Api:
        return self.anon.login(username)

    @property
    def kiosk(self) -> Api:
        return self.anon.as_token(self.office.kiosk_token)

    @property
    def display(self) -> Api:
        return self.anon.as_token(self.office.display_token)


@pytest.fixture
def running(db_url: str) -> Iterator[Running]:
    """A live server on SQLite and on PostgreSQL with the demo office loaded."""
    office = load_demo_office(db_url)
    with run_server(db_url) as server:
        yield Running(server, office, Api(server.url))


@pytest.fixture
def running_sqlite(sqlite_url: str) -> Iterator[Running]:
    office = load_demo_office(sqlite_url)
    with run_server(sqlite_url) as server:
        yield Running(server, office, Api(server.url))
