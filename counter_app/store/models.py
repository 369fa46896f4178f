"""The tables. Times are aware UTC; a ticket's service day is a branch-local date."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from counter_app.store.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The partial unique indexes' conditions, by index name. SQLite's is declared with the index;
# PostgreSQL's, the same condition, is attached when this process first connects to
# PostgreSQL: a ``postgresql_where`` here would make SQLAlchemy load its PostgreSQL dialect
# (2.4 MiB, 20 ms) in a server on SQLite too (docs/PERFORMANCE.md). The migrations create
# these indexes with their conditions on both backends (tests/integration/test_migrations.py
# checks that they agree with these).
PARTIAL_INDEX_WHERE: dict[str, str] = {}


def partial_unique_index(name: str, *columns: str, where: str) -> Index:
    PARTIAL_INDEX_WHERE[name] = where
    return Index(name, *columns, unique=True, sqlite_where=text(where))


def attach_postgresql_conditions() -> None:
    """Give the partial indexes their ``postgresql_where`` (loads the PostgreSQL dialect);
    done on the first connection to PostgreSQL, so DDL from the models (``create_all``) and
    Alembic's comparisons see them."""
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            where = PARTIAL_INDEX_WHERE.get(str(index.name))
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = text(where)


@event.listens_for(Dialect, "do_connect")
def _on_connect(dialect: Dialect, *_: Any) -> None:
    if dialect.name == "postgresql":
        attach_postgresql_conditions()


class Branch(Base):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    address: Mapped[str] = mapped_column(String(300), default="")
    priority_run: Mapped[int] = mapped_column(Integer, default=2)
    regular_run: Mapped[int] = mapped_column(Integer, default=3)
    multi_service_rule: Mapped[str] = mapped_column(String(20), default="longest_wait")
    appointment_early_minutes: Mapped[int] = mapped_column(Integer, default=15)
    # {"mon": ["08:00", "15:00"], ...}; a missing day is closed.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    running_text: Mapped[str] = mapped_column(String(500), default="")
    # Training mode (docs/TRAINING.md): every counter trains, new tickets are training tickets.
    training: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class BranchSequence(Base):
    """The last journal sequence number of a branch; its row lock orders the journal."""

    __tablename__ = "branch_sequences"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("branch_id", "prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    default_service_seconds: Mapped[int] = mapped_column(Integer, default=300)
    target_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    # How long after a skip a no-show may still be called back by number (0: never).
    no_show_recall_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    daily_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Online booking (core.booking.BookingRules): off unless the office turns it on.
    booking_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    booking_slot_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    booking_capacity: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    booking_window_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    booking_check_in_before: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    booking_check_in_after: Mapped[int] = mapped_column(Integer, default=15, server_default="15")


class PriorityClass(Base):
    __tablename__ = "priority_classes"
    __table_args__ = (UniqueConstraint("branch_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (
        UniqueConstraint("branch_id", "number"),
        # One open counter per officer at a time.
        partial_unique_index(
            "uq_counters_officer_id",
            "officer_id",
            where="officer_id IS NOT NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16), default="closed")
    break_reason: Mapped[str] = mapped_column(String(200), default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # The tail of interleaved calls (see core.policy.CallHistory), reset each service day.
    history_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    history_priority: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    history_run: Mapped[int] = mapped_column(Integer, default=0)
    # This counter alone trains: it calls training tickets only (docs/TRAINING.md).
    training: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CounterService(Base):
    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class UserCounter(Base):
    """Counters an officer may open; an officer with no rows may open any in the branch."""

    __tablename__ = "user_counters"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the device last opened its event stream (store.devices.seen); shown in its list.
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PairingCode(Base):
    """A short single-use code that lets a new station fetch its own device token
    (store.pairing); only the code's SHA-256 is stored."""

    __tablename__ = "pairing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    token_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AuthToken(Base):
    """Bearer tokens; only their SHA-256 is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class DailyCounter(Base):
    """The last number given for a prefix on a service day; its row lock orders numbering."""

    __tablename__ = "daily_counters"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(3), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    issued: Mapped[int] = mapped_column(Integer, default=0)


class WaitingCount(Base):
    """How many tickets of a service wait on a service day, kept with every move into or out
    of ``waiting`` (store.rows), so a new ticket's place in the queue is one read whatever
    the queue's length."""

    __tablename__ = "waiting_counts"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    waiting: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # A number is given once per prefix per service day; a transfer continues the same
        # visible number as a new, linked row, so it is exempt.
        partial_unique_index(
            "uq_tickets_number",
            "branch_id",
            "service_day",
            "prefix",
            "training",
            "number",
            where="transferred_from_id IS NULL",
        ),
        partial_unique_index(
            "uq_tickets_code",
            "code",
            where="transferred_from_id IS NULL",
        ),
        # The call policy's probes (store.queue) walk these in order.
        Index(
            "ix_tickets_queue",
            "branch_id",
            "state",
            "service_id",
            "service_day",
            "priority",
            "issued_at",
        ),
        Index("ix_tickets_appointments", "branch_id", "state", "appointment_at"),
        Index("ix_tickets_front", "branch_id", "state", "front_at"),
        Index("ix_tickets_counter_state", "counter_id", "state"),
        Index("ix_tickets_target_counter", "target_counter_id", "state"),
        # Reports walk a period's tickets in this order without touching the rows.
        Index(
            "ix_tickets_report",
            "branch_id",
            "service_day",
            "service_id",
            "transferred_from_id",
            "training",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    service_day: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(3))
    number: Mapped[int] = mapped_column(Integer)
    # The public code in the ticket's QR; a transfer's new row carries it on.
    code: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(16))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_classes.id"), nullable=True
    )
    state: Mapped[str] = mapped_column(String(16))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    enqueued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    appointment_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Set when a supervisor moves the waiting ticket to the front of its queue (core.policy).
    front_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    transferred_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id"), nullable=True, index=True
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    # Issued in training mode: numbered apart, kept out of reports and IKM (docs/TRAINING.md).
    training: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Event(Base):
    """The journal: one row per state change, numbered gap-free per branch in commit order."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("branch_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# A ticket's events (the ticket page, the audit trail) and, as a covering index, everything
# reports read of them, so a report never loads the payloads.
Index(
    "ix_events_ticket_report",
    Event.ticket_id,
    Event.kind,
    Event.at,
    Event.seq,
    Event.counter_id,
    Event.user_id,
)
# Events of one kind in a time range: counters' openings for reports, audits.
Index("ix_events_branch_kind_at", Event.branch_id, Event.kind, Event.at)


class IdempotencyRecord(Base):
    """The first answer to a mutating request, replayed to retries with the same key."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


SURVEY_ELEMENTS = 9


class SurveyResponse(Base):
    """One SKM response per visible ticket (its transfer chain), nine answers from 1 to 4.

    Nothing personal: no name, no contact, no free text; the ticket link only enforces one
    response per ticket and dates it to the ticket's service day.
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        Index("ix_survey_responses_report", "branch_id", "service_day", "service_id"),
        *(
            CheckConstraint(f"u{i} BETWEEN 1 AND 4", name=f"u{i}_scale")
            for i in range(1, SURVEY_ELEMENTS + 1)
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    # The service that finished the ticket (the last of a transfer chain).
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    # The chain's first ticket (the one issued): one response per visible code.
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    service_day: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)


class BranchHoliday(Base):
    """A day the branch is closed although its opening hours say otherwise."""

    __tablename__ = "branch_holidays"
    __table_args__ = (UniqueConstraint("branch_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200), default="")


class BookingSlot(Base):
    """Places taken in one slot of a service; its row lock orders concurrent bookings."""

    __tablename__ = "booking_slots"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Booking(Base):
    """An online booking. The NIK is kept only as a keyed hash (with the id of its key) and
    its last four digits. Some days after the slot the personal columns are emptied and
    ``anonymised_at`` set (store.booking.privacy); ``phone`` is no longer collected and is
    only kept, empty, for rows of older versions."""

    __tablename__ = "bookings"
    __table_args__ = (
        # One active booking per NIK per service per (branch-local) day.
        partial_unique_index(
            "uq_bookings_active_nik",
            "service_id",
            "slot_day",
            "nik_hash",
            where="state IN ('booked', 'checked_in')",
        ),
        Index("ix_bookings_state_slot", "state", "slot_start"),
        Index("ix_bookings_retention", "anonymised_at", "slot_start"),
        Index("ix_bookings_client_block_created", "client_block", "created_at"),
        Index("uq_bookings_hub_booking_id", "hub_booking_id", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    slot_end: Mapped[datetime] = mapped_column(UtcDateTime)
    slot_day: Mapped[date] = mapped_column(Date)
    nik_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    nik_key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    nik_last4: Mapped[str | None] = mapped_column(String(4), nullable=True)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cancel_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id"), nullable=True, index=True
    )
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # The client's address block (IPv4 /24, IPv6 /64), never the full address: what the
    # per-block booking cap counts and a supervisor cancels a run of bookings by.
    client_block: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A booking made on the hub and pulled by this branch (docs/HUB.md "Booking from home"):
    # the hub's id of it. Its place counts in the hub's online share, not in booking_slots.
    hub_booking_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class HubLink(Base):
    """A branch linked to a hub for online bookings: the share of each slot the hub books
    (percent, from ``COUNTER_APP_HUB_ONLINE_SHARE``), how far it has pulled the hub's
    bookings (``pull_cursor``), and the hash of the booking set-up it last sent."""

    __tablename__ = "hub_links"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    online_share: Mapped[int] = mapped_column(Integer, default=50)
    pull_cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    setup_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ServerSecret(Base):
    """Secrets generated once per installation and shared by every server process: the
    form-token key. Never the NIK hash key (server.nik_keys keeps it outside the database)."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
