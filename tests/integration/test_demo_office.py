"""The demo can be started again and again: same office, fresh device tokens (the old ones
revoked), known password."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.cli import prepare_demo
from counter_app.config import Settings
from counter_app.server.app import open_database
from counter_app.store.auth import authenticate, resolve
from counter_app.store.models import Counter, Ticket


@pytest.mark.slow
def test_demo_twice_keeps_the_office_and_gives_working_tokens(tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    first = prepare_demo(settings, "first-password")
    second = prepare_demo(settings, "second-password")
    assert set(first) == set(second) == {"Kiosk lobi", "TV ruang tunggu"}
    assert first["Kiosk lobi"] != second["Kiosk lobi"]
    db = open_database(settings)
    try:
        with db.read() as session:
            now = datetime.now(UTC)
            for token in second.values():
                assert resolve(session, token, now) is not None
            for token in first.values():
                assert resolve(session, token, now) is None, "a new demo revokes the old tokens"
            assert authenticate(session, "petugas1", "second-password").username == "petugas1"
            assert session.scalar(select(func.count()).select_from(Counter)) == 4
            assert session.scalar(select(func.count()).select_from(Ticket)) == 0
    finally:
        db.dispose()
