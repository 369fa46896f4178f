"""The hub's booking on the event loop (hub/booking_create.py, the API's path): one statement
on a psycopg connection in autocommit. Its refusals as the session's path gives them: a full
slot, the NIK's second booking (by the unique index, or after a key rotation by a look-up), a
code already given out tried again; and a refused booking leaves nothing behind."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from psycopg import AsyncConnection
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import sessionmaker

from counter_app.core.booking import day_slots
from counter_app.core.errors import AppError
from counter_app.core.nik import NikKeys
from counter_app.hub import booking, booking_create, store
from counter_app.schemas.booking import BookingCreate
from counter_app.schemas.hub_booking import BookingSetup
from counter_app.store.db import normalise_url
from counter_app.store.pg_listen import libpq_url as conninfo
from tests.support.booking import nik
from tests.support.databases import fresh_pg_database

ZONE = "Asia/Jakarta"
HOURS = {d: ["08:00", "16:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
OLD, NEW = NikKeys((b"o" * 32,)), NikKeys((b"o" * 32, b"n" * 32))


@pytest.fixture
def hub() -> Iterator[tuple[Engine, str]]:
    booking.forget_bookable()
    with fresh_pg_database() as url:
        engine = create_engine(normalise_url(url))
        try:
            yield engine, conninfo(normalise_url(url))
        finally:
            engine.dispose()


def _setup() -> BookingSetup:
    return BookingSetup.model_validate(
        {
            "code": "cibeber",
            "name": "Kecamatan Cibeber",
            "timezone": ZONE,
            "opening_hours": HOURS,
            "online_share": 50,
            "services": [
                {
                    "id": 7,
                    "prefix": "A",
                    "name": "Layanan A",
                    "slot_minutes": 30,
                    "capacity": 4,
                    "window_days": 3,
                    "check_in_before": 30,
                    "check_in_after": 15,
                }
            ],
            "holidays": [],
        }
    )


def _slot(n: int) -> datetime:
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=1)
    return day_slots(day, HOURS, ZONE, 30)[n].start


@pytest.mark.postgres
def test_booking_on_the_event_loop_refuses_as_the_session_does(
    hub: tuple[Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, dsn = hub
    store.create_schema(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as session:
        branch_id, _ = store.add_branch(session, "Kecamatan Cibeber", "Cianjur")
        booking.receive_setup(session, branch_id, _setup(), datetime.now(UTC))
        service_id = booking.office_services(session, "cibeber")[1][0].id
        found = booking.bookable(session, service_id)

    async def book(conn: AsyncConnection[Any], serial: int, slot: datetime, keys: NikKeys) -> str:
        data = BookingCreate.model_validate(
            {
                "service_id": service_id,
                "slot_start": slot.isoformat(),
                "nik": nik(serial),
                "name": "Warga Uji",
            }
        )
        prepared = booking_create.Prepared(data, found, keys, datetime.now(UTC))
        try:
            return (await booking_create.create_booking_async(conn, prepared)).code
        except AppError as error:
            return str(error.code)

    async def scenario() -> list[str]:
        async with await AsyncConnection.connect(dsn, autocommit=True) as conn:
            first = await book(conn, 1, _slot(2), OLD)
            # The next code drawn is the one just given out: tried again with another.
            codes = iter([first, "ACEFHJKMNP"])
            monkeypatch.setattr(booking_create, "new_booking_code", lambda: next(codes))
            second = await book(conn, 2, _slot(2), OLD)
            monkeypatch.undo()
            return [
                first,
                second,
                await book(conn, 3, _slot(2), OLD),  # the online share (2 of 4) is taken
                await book(conn, 1, _slot(3), OLD),  # NIK 1 again that day: the unique index
                await book(conn, 2, _slot(3), NEW),  # after a rotation: found by the look-up
                await book(conn, 4, _slot(3), NEW),
            ]

    first, second, full, again, rotated, fourth = asyncio.run(scenario())
    assert len(first) == 10 and second == "ACEFHJKMNP"
    assert (full, again, rotated) == ("slot_full", "booking_exists", "booking_exists")
    assert len(fourth) == 10
    with engine.connect() as conn:
        slots = dict(conn.execute(text("SELECT starts_at, booked FROM hub_booking_slots")).all())
        feed = [
            tuple(r)
            for r in conn.execute(
                text("SELECT seq, kind FROM hub_booking_changes ORDER BY seq")
            ).all()
        ]
        head = conn.execute(text("SELECT feed_seq FROM hub_booking_branches")).scalar_one()
    assert slots == {_slot(2): 2, _slot(3): 1}  # refusals took no place
    assert feed == [(1, "created"), (2, "created"), (3, "created")] and head == 3  # no gap
