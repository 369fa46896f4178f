"""Booking from home through the hub, at the store level (docs/HUB.md "Booking from home").

The hub's side on PostgreSQL: its tables join an existing hub database; the feed is numbered
without gaps, says what the branch has pulled, and carries cancellations; the online share
caps a slot; names and NIK hashes are erased after the retention. The branch's side on both
databases: taking the hub's changes in is idempotent, whatever overlaps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core.actor import Actor
from counter_app.core.booking import BookingState, day_slots
from counter_app.core.errors import AppError
from counter_app.core.nik import NikKeys
from counter_app.core.vocabulary import EventKind, Role
from counter_app.hub import booking, booking_create, store
from counter_app.hub.booking_models import HubBooking
from counter_app.hub.models import HubBase, HubEventRow
from counter_app.schemas.booking import BookingCreate
from counter_app.schemas.hub import HubEvent, JournalPush
from counter_app.schemas.hub_booking import BookingSetup, HubBookingChange
from counter_app.store import hub_bookings, journal
from counter_app.store.booking import lifecycle
from counter_app.store.db import Database, normalise_url
from counter_app.store.models import Booking, BookingSlot, Event, HubLink, Service
from tests.conftest import OfficeTemplate
from tests.support.booking import nik
from tests.support.databases import fresh_pg_database

ZONE = "Asia/Jakarta"
HOURS = {d: ["08:00", "16:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
KEYS = NikKeys((b"k" * 32,))
LETTERS = "ACEFHJKMNP"
ORIGINAL_TABLES = ("hub_branches", "hub_events", "hub_users", "hub_tokens")


@pytest.fixture
def hub_engine() -> Iterator[Engine]:
    booking.forget_bookable()  # a new hub database: its ids are another hub's
    with fresh_pg_database() as url:
        engine = create_engine(normalise_url(url))
        try:
            yield engine
        finally:
            engine.dispose()


def _setup(capacity: int = 4, share: int = 50) -> BookingSetup:
    return BookingSetup.model_validate(
        {
            "code": "cibeber",
            "name": "Kecamatan Cibeber",
            "timezone": ZONE,
            "opening_hours": HOURS,
            "online_share": share,
            "services": [
                {
                    "id": 7,
                    "prefix": "A",
                    "name": "Layanan A",
                    "slot_minutes": 30,
                    "capacity": capacity,
                    "window_days": 3,
                    "check_in_before": 30,
                    "check_in_after": 15,
                }
            ],
            "holidays": [],
        }
    )


def _tomorrow_slot() -> datetime:
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=1)
    return day_slots(day, HOURS, ZONE, 30)[2].start


def _hub(engine: Engine) -> tuple[sessionmaker[Session], int, int]:
    store.create_schema(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions.begin() as session:
        branch_id, _ = store.add_branch(session, "Kecamatan Cibeber", "Cianjur")
        booking.receive_setup(session, branch_id, _setup(), datetime.now(UTC))
        service_id = booking.office_services(session, "cibeber")[1][0].id
    return sessions, branch_id, service_id


def _book(sessions: sessionmaker[Session], service_id: int, serial: int) -> Any:
    data = BookingCreate.model_validate(
        {
            "service_id": service_id,
            "slot_start": _tomorrow_slot().isoformat(),
            "nik": nik(serial),
            "name": "Warga Uji",
        }
    )
    with sessions.begin() as session:
        return booking_create.create_with_race(session, data, KEYS, datetime.now(UTC))


def _hub_id(sessions: sessionmaker[Session], code: str) -> int:
    with sessions.begin() as session:
        return int(session.scalars(select(HubBooking.id).where(HubBooking.code == code)).one())


def _pushed(
    sessions: sessionmaker[Session],
    branch_id: int,
    seq: int,
    kind: str,
    hub_id: int,
    state: str,
    payload: dict[str, Any] | None = None,
) -> None:
    """An event of the branch's journal as its push stores it at the hub."""
    at = datetime.now(UTC)
    body = payload or {
        "seq": seq,
        "kind": kind,
        "at": at.isoformat(),
        "data": {"booking": {"id": 1, "service_id": 7, "state": state, "hub_id": hub_id}},
    }
    with sessions.begin() as session:
        session.add(
            HubEventRow(branch_id=branch_id, seq=seq, kind=kind, at=at, payload=body, hash="0" * 64)
        )


@pytest.mark.postgres
def test_booking_tables_join_an_existing_hub_database(hub_engine: Engine) -> None:
    tables = [HubBase.metadata.tables[name] for name in ORIGINAL_TABLES]
    with hub_engine.begin() as conn:
        HubBase.metadata.create_all(conn, tables=tables)  # a hub of the previous version
    assert "hub_bookings" not in inspect(hub_engine).get_table_names()
    store.create_schema(hub_engine)
    store.create_schema(hub_engine)  # and again: nothing to do
    names = set(inspect(hub_engine).get_table_names())
    assert {"hub_bookings", "hub_booking_changes", "hub_booking_slots"} <= names
    indexes = {i["name"] for i in inspect(hub_engine).get_indexes("hub_events")}
    assert {"ix_hub_events_ticket_code", "ix_hub_events_branch_at"} <= indexes
    with hub_engine.begin() as conn:  # a hub of the first booking version
        conn.execute(text("DROP INDEX ix_hub_bookings_cancel_pending"))
        conn.execute(text("DROP INDEX ix_hub_events_hub_booking"))
        conn.execute(text("ALTER TABLE hub_bookings DROP COLUMN cancel_pending"))
        conn.execute(text("ALTER TABLE hub_booking_services DROP COLUMN branch_booked"))
    store.create_schema(hub_engine)
    columns = {c["name"] for c in inspect(hub_engine).get_columns("hub_bookings")}
    assert "cancel_pending" in columns
    columns = {c["name"] for c in inspect(hub_engine).get_columns("hub_booking_services")}
    assert "branch_booked" in columns
    indexes = {i["name"] for i in inspect(hub_engine).get_indexes("hub_bookings")}
    assert "ix_hub_bookings_cancel_pending" in indexes
    indexes = {i["name"] for i in inspect(hub_engine).get_indexes("hub_events")}
    assert "ix_hub_events_hub_booking" in indexes


@pytest.mark.postgres
def test_feed_is_gap_free_carries_cancellations_and_notes_the_pull(hub_engine: Engine) -> None:
    sessions, branch_id, service_id = _hub(hub_engine)
    made = [_book(sessions, service_id, 1)]
    with pytest.raises(AppError) as again:
        _book(sessions, service_id, 1)
    assert again.value.code == "booking_exists"
    made.append(_book(sessions, service_id, 2))
    with pytest.raises(AppError) as full:  # online share of 4 places: 2
        _book(sessions, service_id, 3)
    assert full.value.code == "slot_full"
    with sessions.begin() as session:
        booking.cancel_booking(
            session,
            made[0].code,
            nik_keys=KEYS,
            nik=None,
            cancel_token=made[0].cancel_token,
            now=datetime.now(UTC),
        )
    with pytest.raises(AppError) as held:  # held until the branch confirms the cancellation
        _book(sessions, service_id, 3)
    assert held.value.code == "slot_full"
    cancelled_id = _hub_id(sessions, made[0].code)
    _pushed(sessions, branch_id, 1, "booking.cancelled", cancelled_id, "cancelled")
    with sessions.begin() as session:  # the branch's next pull settles it
        booking.feed(session, branch_id, 0, 100, datetime.now(UTC))
    third = _book(sessions, service_id, 3)  # the place given back is bookable again
    with sessions.begin() as session:
        everything = booking.feed(session, branch_id, 0, 100, datetime.now(UTC))
        view = booking.get_booking(session, third.code)
    assert [(c.seq, c.kind) for c in everything.changes] == [
        (1, "created"),
        (2, "created"),
        (3, "cancelled"),
        (4, "created"),
    ]
    assert everything.head == 4 and everything.changes[0].state is BookingState.CANCELLED
    assert everything.changes[0].service_id == 7  # the branch's own id of the service
    assert not view.delivered
    with sessions.begin() as session:
        rest = booking.feed(session, branch_id, 3, 100, datetime.now(UTC))
    assert [c.seq for c in rest.changes] == [4]
    with sessions.begin() as session:
        assert not booking.get_booking(session, third.code).delivered  # asked after 3: not 4
        booking.feed(session, branch_id, 4, 100, datetime.now(UTC))
    with sessions.begin() as session:
        assert booking.get_booking(session, third.code).delivered


@pytest.mark.postgres
def test_names_and_nik_hashes_erased_after_retention(hub_engine: Engine) -> None:
    sessions, _, service_id = _hub(hub_engine)
    made = _book(sessions, service_id, 1)
    later = datetime.now(UTC) + timedelta(days=40)
    with sessions.begin() as session:
        assert booking.anonymise_expired(session, datetime.now(UTC)) == 0
        assert booking.anonymise_expired(session, later) == 1
    with sessions.begin() as session:
        row = session.scalars(select(HubBooking).where(HubBooking.code == made.code)).one()
    assert (row.name, row.nik_hash, row.nik_last4) == (None, None, None)
    assert row.anonymised_at is not None


def _change(seq: int, hub_id: int, service_id: int, state: str = "booked") -> HubBookingChange:
    start = _tomorrow_slot()
    return HubBookingChange.model_validate(
        {
            "seq": seq,
            "kind": "created" if state == "booked" else "cancelled",
            "hub_id": hub_id,
            "code": "HHHHHHHH" + LETTERS[hub_id // 10 % 10] + LETTERS[hub_id % 10],
            "state": state,
            "service_id": service_id,
            "slot_start": start.isoformat(),
            "slot_end": (start + timedelta(minutes=30)).isoformat(),
            "slot_day": start.astimezone(ZoneInfo(ZONE)).date().isoformat(),
            "name": "Warga Uji",
            "nik_last4": "0001",
            "created_at": datetime.now(UTC).isoformat(),
            "closed_at": None,
        }
    )


def test_branch_takes_repeated_and_overlapping_changes_in_once(office_db: OfficeTemplate) -> None:
    db = Database(office_db.url)
    try:
        with db.read() as session:
            service = session.scalars(select(Service).order_by(Service.id)).first()
            assert service is not None
            branch_id, service_id = service.branch_id, service.id
        created = [_change(n, 10 + n, service_id) for n in range(1, 6)]
        cancelled = _change(6, 12, service_id, "cancelled")
        batches = [created[:3], created[1:], created, [*created, cancelled], [cancelled]]
        applied = []
        for batch in batches:
            with db.write() as session:
                applied.append(
                    hub_bookings.apply_feed(session, branch_id, 50, batch, datetime.now(UTC))
                )
        assert applied == [(3, 3), (5, 2), (5, 0), (6, 1), (6, 0)]
        with db.write() as session:  # the cursor rewound: the unique hub id still holds
            session.get(HubLink, branch_id).pull_cursor = 0  # type: ignore[union-attr]
        with db.write() as session:
            assert hub_bookings.apply_feed(
                session, branch_id, 50, [*created, cancelled], datetime.now(UTC)
            ) == (6, 0)
        with db.read() as session:
            rows = session.execute(
                select(Booking.hub_booking_id, Booking.state, Booking.nik_hash)
            ).all()
            kinds = session.execute(
                select(Event.kind, func.count())
                .where(Event.kind.in_([EventKind.BOOKING_CREATED, EventKind.BOOKING_CANCELLED]))
                .group_by(Event.kind)
            ).all()
        hub_rows = sorted((h, s) for h, s, _ in rows if h is not None)
        assert hub_rows == [
            (11, "booked"),
            (12, "cancelled"),
            (13, "booked"),
            (14, "booked"),
            (15, "booked"),
        ]
        assert all(digest is None for h, _, digest in rows if h is not None)
        assert dict(kinds) == {"booking.created": 5, "booking.cancelled": 1}
    finally:
        db.dispose()


def _slot(n: int) -> datetime:
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=1)
    return day_slots(day, HOURS, ZONE, 30)[n].start


class _Linked:
    """A branch (its own database) linked to a hub (PostgreSQL), pulled and pushed by hand as
    the branch's background puller and pusher would."""

    def __init__(self, db: Database, hub: Engine, capacity: int, share: int) -> None:
        self.db = db
        with db.read() as session:
            service = session.scalars(select(Service).order_by(Service.id)).first()
            assert service is not None
            self.branch_id, self.service_id = service.branch_id, service.id
        store.create_schema(hub)
        self.hub = sessionmaker(hub, expire_on_commit=False)
        setup = _setup(capacity, share).model_copy(deep=True)
        setup.services[0].id = self.service_id
        with self.hub.begin() as session:
            self.hub_branch, _ = store.add_branch(session, "Kecamatan Cibeber", "Cianjur")
            booking.receive_setup(session, self.hub_branch, setup, datetime.now(UTC))
            self.hub_service = booking.office_services(session, "cibeber")[1][0].id
        self.share = share

    def book(self, serial: int, slot: datetime) -> Any:
        data = BookingCreate.model_validate(
            {
                "service_id": self.hub_service,
                "slot_start": slot.isoformat(),
                "nik": nik(serial),
                "name": "Warga Uji",
            }
        )
        with self.hub.begin() as session:
            return booking_create.create_with_race(session, data, KEYS, datetime.now(UTC))

    def cancel(self, made: Any) -> None:
        with self.hub.begin() as session:
            booking.cancel_booking(
                session,
                made.code,
                nik_keys=KEYS,
                nik=None,
                cancel_token=made.cancel_token,
                now=datetime.now(UTC),
            )

    def pull(self) -> None:
        with self.db.read() as session:
            link = session.get(HubLink, self.branch_id)
            cursor = link.pull_cursor if link is not None else 0
        with self.hub.begin() as session:
            page = booking.feed(session, self.hub_branch, cursor, 100, datetime.now(UTC))
        with self.db.write() as session:
            hub_bookings.apply_feed(
                session, self.branch_id, self.share, page.changes, datetime.now(UTC)
            )

    def push(self) -> None:
        with self.hub.begin() as session:
            after = store.cursor(session, self.hub_branch).hub_seq
        with self.db.read() as session:
            events = journal.events_between(session, self.branch_id, after, None, 1000)
        push = JournalPush(
            events=[HubEvent(seq=e["seq"], kind=e["kind"], at=e["at"], payload=e) for e in events]
        )
        with self.hub.begin() as session:
            store.ingest(session, self.hub_branch, push, datetime.now(UTC))

    def state(self, code: str) -> BookingState:
        with self.hub.begin() as session:
            return booking.get_booking(session, code).booking.state


@pytest.mark.postgres
def test_a_cancellation_racing_a_check_in_never_overbooks(
    office_db: OfficeTemplate, hub_engine: Engine
) -> None:
    """The citizen cancels on the hub while the branch has checked the booking in but not yet
    pushed it: the place stays held until the branch's journal says what happened, so the
    slot never ends over its capacity; a cancellation the branch confirms frees it."""
    db = Database(office_db.url)
    try:
        linked = _Linked(db, hub_engine, capacity=2, share=50)  # one online place a slot
        raced, calm = _slot(2), _slot(4)
        first = linked.book(1, raced)
        linked.pull()
        officer = Actor(username="officer", role=Role.ADMIN)
        with db.write() as session:  # at the kiosk, before the hub hears of it
            lifecycle.check_in(session, first.code, officer, raced - timedelta(minutes=10))
        linked.cancel(first)
        with pytest.raises(AppError) as held:
            linked.book(2, raced)
        assert held.value.code == "slot_full"
        linked.pull()  # the branch keeps its checked-in copy
        linked.push()
        linked.pull()  # the hub learns of the check-in
        assert linked.state(first.code) is BookingState.CHECKED_IN
        with linked.hub.begin() as session:  # the citizen's page says why
            assert booking.get_booking(session, first.code).cancel_refused
        with pytest.raises(AppError) as still:
            linked.book(2, raced)
        assert still.value.code == "slot_full"

        second = linked.book(3, calm)
        linked.pull()
        linked.cancel(second)
        with pytest.raises(AppError) as waiting:
            linked.book(4, calm)
        assert waiting.value.code == "slot_full"
        linked.pull()  # the branch cancels its copy
        linked.push()
        linked.pull()  # the hub sees it cancelled there: the place is free again
        assert linked.state(second.code) is BookingState.CANCELLED
        linked.book(4, calm)
        with db.read() as session:
            states = dict(
                session.execute(
                    select(Booking.code, Booking.state).where(Booking.hub_booking_id.is_not(None))
                ).all()
            )
        assert states == {first.code: "checked_in", second.code: "cancelled"}
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_raised_share_leaves_the_branchs_own_bookings_their_places(
    office_db: OfficeTemplate, hub_engine: Engine
) -> None:
    """The branch booked 3 of a slot's 4 places itself while its share allowed it; raised to
    50 % its own share is 2: the set-up says 3 are taken there, and the hub books only the
    place left in that slot (2 in the others)."""
    db = Database(office_db.url)
    try:
        with db.write() as session:
            service = session.scalars(select(Service).order_by(Service.id)).first()
            assert service is not None
            service.booking_enabled = True
            service.booking_capacity = 4
            branch_id, service_id = service.branch_id, service.id
        with db.read() as session:
            plain = hub_bookings.booking_setup(session, branch_id, 50, datetime.now(UTC))
        assert plain.branch_booked == []
        rules = plain.services[0]
        zone = ZoneInfo(plain.timezone)
        day = datetime.now(zone).date() + timedelta(days=1)
        while not day_slots(day, plain.opening_hours, plain.timezone, rules.slot_minutes):
            day += timedelta(days=1)  # the office's next open day
        slots = day_slots(day, plain.opening_hours, plain.timezone, rules.slot_minutes)
        full, other = slots[1].start, slots[2].start
        with db.write() as session:
            session.add(BookingSlot(service_id=service_id, starts_at=full, booked=3))
            session.add(BookingSlot(service_id=service_id, starts_at=other, booked=2))
        with db.read() as session:
            setup = hub_bookings.booking_setup(session, branch_id, 50, datetime.now(UTC))
        assert [(c.service_id, c.slot_start, c.booked) for c in setup.branch_booked] == [
            (service_id, full, 3)
        ]
        store.create_schema(hub_engine)
        hub = sessionmaker(hub_engine, expire_on_commit=False)
        setup = setup.model_copy(update={"code": "cibeber"})
        with hub.begin() as session:
            hub_branch, _ = store.add_branch(session, "Kecamatan Cibeber", "Cianjur")
            booking.receive_setup(session, hub_branch, setup, datetime.now(UTC))
            hub_service = booking.office_services(session, "cibeber")[1][0].id
            shown = booking.list_slots(session, hub_service, datetime.now(UTC), day)
        places = {s.start: s.capacity for d in shown.days for s in d.slots}
        assert (places[full], places[other]) == (1, 2)

        def book(serial: int, slot: datetime) -> Any:
            data = BookingCreate.model_validate(
                {
                    "service_id": hub_service,
                    "slot_start": slot.isoformat(),
                    "nik": nik(serial),
                    "name": "Warga Uji",
                }
            )
            with hub.begin() as session:
                return booking_create.create_with_race(session, data, KEYS, datetime.now(UTC))

        book(1, full)
        with pytest.raises(AppError) as refused:
            book(2, full)
        assert refused.value.code == "slot_full"
        book(3, other)
        book(4, other)
    finally:
        db.dispose()
