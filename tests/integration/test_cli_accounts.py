"""The command line: ``user disable|enable|set-password``, and ``demo`` refusing a real
office's database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.cli import main, prepare_demo
from counter_app.config import Settings
from counter_app.server.app import open_database
from counter_app.store.auth import authenticate, issue_user_token, resolve
from counter_app.store.models import User
from tests.conftest import OfficeTemplate
from tests.integration.conftest import START
from tests.support.office import PASSWORD


def test_user_disable_enable_and_set_password(
    sqlite_office_db: OfficeTemplate,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = sqlite_office_db.url
    db = open_database(Settings(db_url=url))
    try:
        with db.write() as session:
            officer = session.scalars(select(User).where(User.username == "petugas1")).one()
            token, _ = issue_user_token(session, officer, START, timedelta(hours=8))

        assert main(["user", "disable", "petugas1", "--db", url]) == 0
        with db.read() as session:
            assert resolve(session, token, START) is None, "the session ends"
            assert (
                session.scalars(select(User.active).where(User.username == "petugas1")).one()
                is False
            )
        assert main(["user", "enable", "petugas1", "--db", url]) == 0
        monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "fresh-password-9")
        assert main(["user", "set-password", "petugas1", "--db", url]) == 0
        with db.read() as session:
            assert authenticate(session, "petugas1", "fresh-password-9").active
        monkeypatch.setenv("COUNTER_APP_NEW_PASSWORD", "short")
        assert main(["user", "set-password", "petugas1", "--db", url]) == 2
        assert main(["user", "disable", "nobody", "--db", url]) == 2
        assert "there is no user 'nobody'" in capsys.readouterr().err
    finally:
        db.dispose()


def test_demo_refuses_a_database_it_did_not_create(
    sqlite_office_db: OfficeTemplate,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COUNTER_APP_DEMO_PASSWORD", "demo-takes-over")
    assert main(["demo", "--headless", "--db", sqlite_office_db.url]) == 2
    assert "was not created by the demo" in capsys.readouterr().err
    db = open_database(Settings(db_url=sqlite_office_db.url))
    try:
        with db.read() as session:
            assert authenticate(session, "admin", PASSWORD).username == "admin", "unchanged"
    finally:
        db.dispose()


@pytest.mark.slow
def test_demo_marks_the_database_it_creates_and_takes_it_again(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'mine.sqlite3'}")
    prepare_demo(settings, "first-password")
    prepare_demo(settings, "second-password")  # its own database: taken again
