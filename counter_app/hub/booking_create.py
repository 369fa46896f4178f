"""Booking a place through the hub: the hub's hot path (docs/HUB.md "Booking from home",
docs/PERFORMANCE.md "Hub booking rate").

One statement does the whole booking, so it is one round trip and, on its own connection in
autocommit, its own transaction: take the place (the slot's upsert, refused by its ``WHERE``
when the slot holds its places already; the row lock orders a rush on one slot), number the
branch's feed (its row lock: gap-free, in commit order, held only for the statement and its
commit), insert the booking and its feed change. Lock order as everywhere on the hub: slot
row, branch row. A code already given out or the NIK's second active booking of the service
and day breaks a unique index and the statement does nothing; a full slot inserts nothing.

``create_booking_async`` runs it on the event loop with a psycopg connection of the API's pool
(``hub.pg_pool``); ``create_with_race`` in an ORM session's transaction (the pages, tests), in
a savepoint per try.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.errors import UniqueViolation
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.core.booking import (
    ACTIVE_STATES,
    BookingState,
    check_in_window,
    new_booking_code,
)
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict
from counter_app.core.nik import Nik, NikKeys, check_name, check_nik, mask_name
from counter_app.hub.booking import Bookable, bookable_cached, open_slot
from counter_app.hub.booking_models import HubBooking
from counter_app.schemas.booking import BookingCreate, BookingCreated

CODE_ATTEMPTS = 20
ACTIVE_NIK_INDEX = "uq_hub_bookings_active_nik"

BOOK = """
WITH place AS (
    INSERT INTO hub_booking_slots AS s (service_id, starts_at, booked)
    VALUES (%(service_id)s, %(slot_start)s, 1)
    ON CONFLICT (service_id, starts_at) DO UPDATE SET booked = s.booked + 1
    WHERE s.booked < %(places)s
    RETURNING 1
), numbered AS (
    UPDATE hub_booking_branches SET feed_seq = feed_seq + 1
    WHERE branch_id = %(branch_id)s AND EXISTS (SELECT FROM place)
    RETURNING feed_seq
), made AS (
    INSERT INTO hub_bookings (branch_id, service_id, code, state, slot_start, slot_end,
        slot_day, nik_hash, nik_key_id, nik_last4, name, cancel_token_hash, created_at,
        created_seq, cancel_pending)
    SELECT %(branch_id)s, %(service_id)s, %(code)s, 'booked', %(slot_start)s, %(slot_end)s,
        %(slot_day)s, %(nik_hash)s, %(nik_key_id)s, %(nik_last4)s, %(name)s,
        %(cancel_token_hash)s, %(created_at)s, feed_seq, false
    FROM numbered
    RETURNING id, created_seq
), fed AS (
    INSERT INTO hub_booking_changes (branch_id, seq, booking_id, kind)
    SELECT %(branch_id)s, created_seq, id, 'created' FROM made
)
SELECT id FROM made
"""

_ACTIVE = ", ".join(f"'{s.value}'" for s in ACTIVE_STATES)
# Only after a key rotation (more than one key): a booking under an older key's hash.
ACTIVE_FOR_NIK = (
    "SELECT 1 FROM hub_bookings WHERE service_id = %(service_id)s AND slot_day = %(day)s "
    f"AND nik_hash = ANY(%(digests)s) AND state IN ({_ACTIVE}) LIMIT 1"
)
_ACTIVE_FOR_NIK_ORM = select(HubBooking.id).where(
    HubBooking.service_id == bindparam("service_id"),
    HubBooking.slot_day == bindparam("day"),
    HubBooking.nik_hash.in_(bindparam("digests", expanding=True)),
    text(f"hub_bookings.state IN ({_ACTIVE})"),
)


class Prepared:
    """A checked request: the statement's parameters (a new code per try) and the answer."""

    def __init__(
        self, data: BookingCreate, found: Bookable, nik_keys: NikKeys, now: datetime
    ) -> None:
        nik: Nik = check_nik(data.nik)
        name = check_name(data.name)
        day, slot_end = open_slot(found, data.slot_start, now)
        self.found = found
        self.day: date = day
        self.places = found.places(data.slot_start)
        by_key = nik_keys.digests(nik)  # oldest key first, the current one last
        current_id, current_hash = list(by_key.items())[-1]
        self.digests = list(by_key.values())
        self.token = secrets.token_urlsafe(24)
        self.params: dict[str, Any] = {
            "service_id": found.service.id,
            "branch_id": found.branch.branch_id,
            "slot_start": data.slot_start,
            "slot_end": slot_end,
            "slot_day": day,
            "places": self.places,
            "code": "",
            "nik_hash": current_hash,
            "nik_key_id": current_id,
            "nik_last4": nik.last4,
            "name": name,
            "cancel_token_hash": hashlib.sha256(self.token.encode()).hexdigest(),
            "created_at": now,
        }

    @property
    def rotated(self) -> bool:
        """More than one NIK key: the unique index sees only the current key's hash."""
        return len(self.digests) > 1

    def next_code(self) -> dict[str, Any]:
        self.params["code"] = new_booking_code()
        return self.params

    def nik_params(self) -> dict[str, Any]:
        return {"service_id": self.found.service.id, "day": self.day, "digests": self.digests}

    def answer(self) -> BookingCreated:
        p, found = self.params, self.found
        opens, closes = check_in_window(p["slot_start"], found.rules)
        return BookingCreated.model_construct(
            code=p["code"],
            state=BookingState.BOOKED,
            branch_id=p["branch_id"],
            branch_name=found.branch.name,
            service_id=p["service_id"],
            service_name=found.service.name,
            slot_start=p["slot_start"],
            slot_end=p["slot_end"],
            check_in_opens=opens,
            check_in_closes=closes,
            name_masked=mask_name(p["name"]),
            nik_last4=p["nik_last4"],
            ticket_code=None,
            created_at=p["created_at"],
            cancel_token=self.token,
        )


def slot_full() -> AppError:
    return conflict(ErrorCode.SLOT_FULL, "This slot is fully booked; choose another one.")


def booking_exists() -> AppError:
    return conflict(
        ErrorCode.BOOKING_EXISTS, "This NIK already has a booking for this service on that day."
    )


def no_code() -> AppError:
    return AppError(ErrorCode.NO_CODE, "No free booking code; try again.")


def _refusal(constraint: str | None) -> AppError | None:
    """The NIK's second booking is refused; a taken code (``None`` here) is tried again."""
    return booking_exists() if constraint == ACTIVE_NIK_INDEX else None


async def create_booking_async(conn: AsyncConnection[Any], prepared: Prepared) -> BookingCreated:
    """Book on ``conn`` (autocommit: the statement is its own transaction)."""
    if prepared.places < 1:
        raise slot_full()
    if prepared.rotated:
        cursor = await conn.execute(ACTIVE_FOR_NIK, prepared.nik_params())
        if await cursor.fetchone() is not None:
            raise booking_exists()
    for _ in range(CODE_ATTEMPTS):
        try:
            cursor = await conn.execute(BOOK, prepared.next_code())
        except UniqueViolation as exc:
            refusal = _refusal(exc.diag.constraint_name)
            if refusal is not None:
                raise refusal from None
            continue
        if await cursor.fetchone() is None:
            raise slot_full()
        return prepared.answer()
    raise no_code()


def create_with_race(
    session: Session, data: BookingCreate, nik_keys: NikKeys, now: datetime
) -> BookingCreated:
    """The same booking in ``session``'s transaction, each try in a savepoint."""
    found = bookable_cached(session, data.service_id)
    prepared = Prepared(data, found, nik_keys, now)
    if prepared.places < 1:
        raise slot_full()
    if prepared.rotated and session.scalar(_ACTIVE_FOR_NIK_ORM, prepared.nik_params()):
        raise booking_exists()
    conn = session.connection()
    for _ in range(CODE_ATTEMPTS):
        try:
            with session.begin_nested():
                row = conn.exec_driver_sql(BOOK, prepared.next_code()).first()
        except IntegrityError as exc:
            refusal = _refusal(getattr(getattr(exc.orig, "diag", None), "constraint_name", None))
            if refusal is not None:
                raise refusal from None
            continue
        if row is None:
            raise slot_full()
        return prepared.answer()
    raise no_code()
