"""The hub's booking tables (docs/HUB.md "Booking from home"), in the hub's metadata.

- ``hub_booking_branches``: a branch's booking set-up as it last sent it, the head of its
  feed of changes (``feed_seq``, taken under the row's lock: gap-free, in commit order) and
  how far the branch has pulled (``pulled_seq``, ``pulled_at``).
- ``hub_booking_services``: each bookable service, with a hub-wide id (the pages' addresses).
- ``hub_booking_slots``: places the hub holds per slot (its online share: bookings, and
  cancellations the branch has not confirmed yet).
- ``hub_bookings``: the bookings; the NIK only as an HMAC under the hub's own key.
- ``hub_booking_changes``: the feed the branch pulls (created, cancelled).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.hub.models import HubBase, Json


class HubBookingBranch(HubBase):
    __tablename__ = "hub_booking_branches"

    branch_id: Mapped[int] = mapped_column(ForeignKey("hub_branches.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    opening_hours: Mapped[dict[str, Any]] = mapped_column(Json)
    holidays: Mapped[dict[str, Any]] = mapped_column(Json)  # {"2026-12-25": "Natal", …}
    online_share: Mapped[int] = mapped_column(Integer)
    setup_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    feed_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pulled_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class HubBookingService(HubBase):
    __tablename__ = "hub_booking_services"
    __table_args__ = (UniqueConstraint("branch_id", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("hub_branches.id"), index=True)
    service_id: Mapped[int] = mapped_column(Integer)  # the branch's id of the service
    prefix: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    window_days: Mapped[int] = mapped_column(Integer)
    check_in_before: Mapped[int] = mapped_column(Integer)
    check_in_after: Mapped[int] = mapped_column(Integer)
    # The branch's own bookings of slots where they pass what its share leaves it (after the
    # share was raised), as the set-up sent them: {"<slot start, ISO>": count}. The hub books
    # at most min(online, capacity - count) there.
    branch_booked: Mapped[dict[str, Any]] = mapped_column(
        Json, default=dict, server_default=text("'{}'")
    )


class HubBookingSlot(HubBase):
    __tablename__ = "hub_booking_slots"

    service_id: Mapped[int] = mapped_column(ForeignKey("hub_booking_services.id"), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class HubBooking(HubBase):
    __tablename__ = "hub_bookings"
    __table_args__ = (
        Index(
            "uq_hub_bookings_active_nik",
            "service_id",
            "slot_day",
            "nik_hash",
            unique=True,
            postgresql_where=text("state IN ('booked', 'checked_in')"),
        ),
        Index("ix_hub_bookings_retention", "anonymised_at", "slot_start"),
        Index(
            "ix_hub_bookings_cancel_pending",
            "branch_id",
            postgresql_where=text("cancel_pending"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("hub_branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("hub_booking_services.id"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    slot_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    slot_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    slot_day: Mapped[date] = mapped_column(Date)
    nik_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    nik_key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    nik_last4: Mapped[str | None] = mapped_column(String(4), nullable=True)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    cancel_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_seq: Mapped[int] = mapped_column(BigInteger)  # its "created" change in the feed
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Cancelled here, its place still held until the branch's journal shows what became of
    # its copy (cancelled there: the place is freed; checked in first: it is checked in).
    cancel_pending: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )


class HubBookingChangeRow(HubBase):
    __tablename__ = "hub_booking_changes"

    branch_id: Mapped[int] = mapped_column(ForeignKey("hub_branches.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("hub_bookings.id"))
    kind: Mapped[str] = mapped_column(String(16))


# Columns and an index added after the tables were first made: ``create_all`` makes them in a
# new hub, ``upgrade`` in an existing one (from ``hub.store.create_schema``, at every start of
# every process). Each statement runs only when what it adds is missing: an ALTER TABLE takes
# its table's strongest lock even when there is nothing to do, and other processes of the
# hub may be booking already.
UPGRADES = (
    (
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'hub_booking_services' AND column_name = 'branch_booked'",
        "ALTER TABLE hub_booking_services ADD COLUMN IF NOT EXISTS branch_booked JSONB "
        "NOT NULL DEFAULT '{}'",
    ),
    (
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'hub_bookings' AND column_name = 'cancel_pending'",
        "ALTER TABLE hub_bookings ADD COLUMN IF NOT EXISTS cancel_pending BOOLEAN NOT NULL "
        "DEFAULT false",
    ),
    (
        # The branch's events about a hub booking, by its hub id: settling a cancellation
        # (hub.booking.confirm_cancellations) and finding its ticket are one index probe, however
        # long the journal. Only events that name a hub booking are in it.
        "SELECT to_regclass('ix_hub_events_hub_booking')",
        "CREATE INDEX IF NOT EXISTS ix_hub_events_hub_booking ON hub_events "
        "(branch_id, (payload->'data'->'booking'->>'hub_id')) "
        "WHERE kind IN ('booking.cancelled', 'booking.created', 'ticket.issued') "
        "AND (payload->'data'->'booking'->>'hub_id') IS NOT NULL",
    ),
    (
        "SELECT to_regclass('ix_hub_bookings_cancel_pending')",
        "CREATE INDEX IF NOT EXISTS ix_hub_bookings_cancel_pending ON hub_bookings (branch_id) "
        "WHERE cancel_pending",
    ),
)


def upgrade(conn: Connection) -> None:
    """Add what ``UPGRADES`` lists to an existing hub database, where missing."""
    for present, statement in UPGRADES:
        if conn.execute(text(present)).scalar() is None:
            conn.execute(text(statement))
