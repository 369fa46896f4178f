"""UtcDateTime keeps instants exact on SQLite, which has no time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select
from sqlalchemy.exc import StatementError

from counter_app.store.types import UtcDateTime

WIB = timezone(timedelta(hours=7))


def table() -> tuple[MetaData, Table]:
    meta = MetaData()
    return meta, Table(
        "t", meta, Column("id", Integer, primary_key=True), Column("at", UtcDateTime)
    )


def test_round_trip_returns_the_same_instant_in_utc(tmp_path: Path) -> None:
    meta, t = table()
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    meta.create_all(engine)
    local = datetime(2026, 11, 30, 0, 30, tzinfo=WIB)  # 17:30 UTC the day before
    with engine.begin() as conn:
        conn.execute(t.insert().values(id=1, at=local))
        back = conn.execute(select(t.c.at)).scalar_one()
    assert back == local
    assert back.tzinfo is UTC
    assert (back.year, back.month, back.day, back.hour) == (2026, 11, 29, 17)


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    meta, t = table()
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    meta.create_all(engine)
    with engine.begin() as conn, pytest.raises(StatementError, match="naive datetime"):
        conn.execute(t.insert().values(id=1, at=datetime(2026, 1, 1, 8, 0)))
