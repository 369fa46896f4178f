"""Shared fixtures: databases (SQLite, fresh PostgreSQL), a live server with the demo office."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url

from tests.support.databases import fresh_pg_database, pg_database_name
from tests.support.golden import Golden
from tests.support.http import Api
from tests.support.live_server import LiveServer, run_server
from tests.support.office import Office, load_demo_office

# Hypothesis profiles: few examples locally for a quick loop, many in CI (CI=true), or the one
# named in HYPOTHESIS_PROFILE. No deadline: a shared test machine can be several times slower.
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)

# error_logs: a test fails on an ERROR log record it did not assert (tests/support/error_logs.py).
pytest_plugins = ["pytester", "tests.support.error_logs"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the golden files (tests/golden) from what the code makes now",
    )


@pytest.fixture(scope="session", autouse=True)
def nik_key_file_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Servers on PostgreSQL keep their NIK key file in the data directory: in a test run, a
    temporary one instead of the user's (tests of the default place unset this)."""
    name = "COUNTER_APP_NIK_KEY_FILE"
    before = os.environ.get(name)
    os.environ[name] = str(tmp_path_factory.mktemp("nik-keys") / "nik-keys")
    yield
    if before is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = before


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare bytes with tests/golden/NAME; ``--regen-golden`` rewrites the files instead."""
    return Golden(bool(request.config.getoption("--regen-golden")))


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


@dataclass(frozen=True)
class OfficeTemplate:
    """A database with the demo office loaded once per test session; tests get copies."""

    url: str
    office: Office


@pytest.fixture(scope="session")
def sqlite_office_template(tmp_path_factory: pytest.TempPathFactory) -> OfficeTemplate:
    path = tmp_path_factory.mktemp("template") / "office.sqlite3"
    url = f"sqlite:///{path}"
    return OfficeTemplate(url, load_demo_office(url))


@pytest.fixture(scope="session")
def pg_office_template() -> Iterator[OfficeTemplate]:
    with fresh_pg_database() as url:
        yield OfficeTemplate(url, load_demo_office(url))


def sqlite_copy(template: OfficeTemplate, tmp_path: Path) -> str:
    source = Path(str(make_url(template.url).database))
    target = tmp_path / "test.sqlite3"
    shutil.copyfile(source, target)  # the template is closed (no -wal pending) after loading
    return f"sqlite:///{target}"


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def running(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    """A live server on SQLite and on PostgreSQL with the demo office loaded."""
    if request.param == "sqlite":
        template: OfficeTemplate = request.getfixturevalue("sqlite_office_template")
        with run_server(sqlite_copy(template, tmp_path)) as server:
            yield Running(server, template.office, Api(server.url))
        return
    template = request.getfixturevalue("pg_office_template")
    with (
        fresh_pg_database(template=pg_database_name(template.url)) as url,
        run_server(url) as server,
    ):
        yield Running(server, template.office, Api(server.url))


@pytest.fixture
def running_sqlite(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> Iterator[Running]:
    with run_server(sqlite_copy(sqlite_office_template, tmp_path)) as server:
        yield Running(server, sqlite_office_template.office, Api(server.url))
