"""Online booking over the JSON API, on SQLite and PostgreSQL, with the demo office and a
frozen clock (Monday 2 March 2026, 08:00 WIB): slots, booking, every refusal with nothing
changed, cancelling, check-in at the kiosk and its errors, no-shows, the staff-only name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.server.sweeper import sweep_once
from counter_app.store.models import Booking as BookingRow
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.booking import Booking, book, booking_body, nik, remaining, slots
from tests.support.databases import fresh_pg_database, pg_database_name
from tests.support.http import Api, serve_in_process
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import (
    call_next,
    expect_error,
    issue,
    ok,
    set_state,
)
from tests.support.sse import EventStream

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
SLOT_1000 = "2026-03-02T03:00:00Z"  # Monday 10:00 WIB
TUESDAY_0900 = "2026-03-03T02:00:00Z"


def test_slots_follow_opening_hours_window_and_holidays(bk: Booking) -> None:
    a = bk.office.services["A"]
    found = slots(bk.anon, a)
    assert (found["today"], found["window_days"], found["slot_minutes"]) == ("2026-03-02", 14, 30)
    days = {d["date"]: d for d in found["days"]}
    assert len(days) == 15 and min(days) == "2026-03-02" and max(days) == "2026-03-16"
    monday = days["2026-03-02"]
    # 08:00–15:00 WIB in 30-minute slots; 08:00 has started (now), so 08:30 is the first.
    assert [s["start"] for s in monday["slots"][:2]] == [
        "2026-03-02T01:30:00Z",
        "2026-03-02T02:00:00Z",
    ]
    assert monday["slots"][-1]["end"] == "2026-03-02T08:00:00Z"
    assert len(monday["slots"]) == 13 and monday["remaining"] == 13 * 4
    friday = days["2026-03-06"]  # 08:00–11:30
    assert len(friday["slots"]) == 7 and friday["slots"][-1]["end"] == "2026-03-06T04:30:00Z"
    assert days["2026-03-07"]["closed"] == "closed" and days["2026-03-07"]["slots"] == []
    assert days["2026-03-08"]["closed"] == "closed"

    admin = bk.anon.login("admin")
    holiday = ok(
        admin.post(
            f"/api/v1/branches/{bk.office.branch_id}/holidays",
            {"day": "2026-03-04", "name": "Hari Raya Nyepi"},
        ),
        201,
    )
    assert holiday["day"] == "2026-03-04"
    wednesday = slots(bk.anon, a, "2026-03-04")["days"][0]
    assert (wednesday["closed"], wednesday["holiday_name"], wednesday["slots"]) == (
        "holiday",
        "Hari Raya Nyepi",
        [],
    )
    listed = ok(admin.get(f"/api/v1/branches/{bk.office.branch_id}/holidays"))
    assert [h["day"] for h in listed] == ["2026-03-04", "2026-12-25", "2027-01-01"]
    # A service without booking is not offered; nor is an unknown one.
    expect_error(
        bk.anon.get(f"/api/v1/public/services/{bk.office.services['C']}/slots"),
        404,
        "service_not_found",
    )
    expect_error(bk.anon.get("/api/v1/public/services/9999/slots"), 404, "service_not_found")


def test_book_shows_places_left_and_hides_personal_data(bk: Booking) -> None:
    a = bk.office.services["A"]
    seq = bk.seq()
    created = book(bk.anon, a, SLOT_1000, 1, name="  budi   santoso ")
    assert created["state"] == "booked" and len(created["code"]) == 10
    assert set(created["code"]) <= set("34679ACEFHJKMNPRTWXY")
    assert (created["slot_start"], created["slot_end"]) == (SLOT_1000, "2026-03-02T03:30:00Z")
    assert (created["check_in_opens"], created["check_in_closes"]) == (
        "2026-03-02T02:30:00Z",
        "2026-03-02T03:15:00Z",
    )
    assert (created["name_masked"], created["nik_last4"]) == ("b*** s******", "0001")
    assert created["cancel_token"]
    assert remaining(bk.anon, a, SLOT_1000) == 3
    assert bk.seq() == seq + 1  # booking.created

    public = ok(bk.anon.get(f"/api/v1/public/bookings/{created['code'].lower()}"))
    assert public["code"] == created["code"] and "cancel_token" not in public
    text = str(public)
    assert "santoso" not in text and nik(1) not in text and "3456" not in text

    # The database keeps no NIK in clear, only its keyed hash and the last four digits.
    with bk.svc.db.read() as session:
        row = session.scalars(select(BookingRow)).one()
        assert row.nik_last4 == "0001" and nik(1) not in row.nik_hash and len(row.nik_hash) == 64
        assert row.phone is None and row.name == "budi santoso"

    # The journal event tells displays a slot filled, nothing about whom.
    supervisor = bk.anon.login("supervisor")
    with EventStream(bk.server.url, bk.office.branch_id, supervisor.token, last_event_id=seq) as s:
        [event] = s.events(1)
    assert event.event == "booking.created"
    assert event.data is not None and set(event.data["data"]["booking"]) == {
        "id",
        "service_id",
        "slot_start",
        "state",
    }
    assert "santoso" not in str(event.data) and "0001" not in str(event.data)


BAD_INPUT = [
    ({"nik": "317405120890001"}, 422, "bad_nik", "length"),
    ({"nik": "3174051208900001x"}, 422, "bad_nik", "length"),
    ({"nik": "9974051208900001"}, 422, "bad_nik", "region"),
    ({"nik": "3100051208900001"}, 422, "bad_nik", "region"),
    ({"nik": "3174053208900001"}, 422, "bad_nik", "birth_date"),  # 32 August
    ({"nik": "3174057208900001"}, 422, "bad_nik", "birth_date"),  # 72 - 40 = 32
    ({"nik": "3174051213900001"}, 422, "bad_nik", "birth_date"),  # month 13
    ({"nik": "3174051208900000"}, 422, "bad_nik", "serial"),
    ({"name": "B"}, 422, "bad_name", None),
    ({"name": "Budi <script>"}, 422, "bad_name", None),
    ({"phone": "0812 3456 7890"}, 422, "invalid_input", None),  # not collected any more
    ({"slot_start": "2026-03-02T03:10:00Z"}, 422, "bad_slot", None),  # not a slot boundary
    ({"slot_start": "2026-03-02T10:00:00"}, 422, "invalid_input", None),  # naive time
    ({"slot_start": "2026-03-02T01:00:00Z"}, 409, "slot_started", None),  # 08:00, now
    ({"slot_start": "2026-03-07T02:00:00Z"}, 409, "booking_day_closed", None),  # Saturday
    ({"slot_start": "2026-03-17T02:00:00Z"}, 409, "booking_outside_window", None),
    ({"slot_start": "2026-03-01T02:00:00Z"}, 409, "booking_outside_window", None),
    ({"service_id": 9999}, 404, "service_not_found", None),
    ({"extra": 1}, 422, "invalid_input", None),
]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def refusing_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OfficeTemplate]:
    """One copy of the office per database for all the refused bookings: each case checks
    that it changed nothing, so they can share it (a fresh database per case cost most of
    this file)."""
    if request.param == "sqlite":
        template: OfficeTemplate = request.getfixturevalue("sqlite_office_template")
        yield OfficeTemplate(
            sqlite_copy(template, tmp_path_factory.mktemp("refusing")), template.office
        )
        return
    template = request.getfixturevalue("pg_office_template")
    with fresh_pg_database(template=pg_database_name(template.url)) as url:
        yield OfficeTemplate(url, template.office)


@pytest.fixture
def refusing(refusing_db: OfficeTemplate) -> Iterator[Booking]:
    """The app in process on the shared copy; its own per case (its rate limits are per
    process, and every case starts from a fresh one as with its own server)."""
    clock = FrozenClock(START)
    limits = {"booking_client_burst": 10_000, "booking_nik_burst": 100}
    with serve_in_process(refusing_db.url, clock=clock, **limits) as (server, anon):
        yield Booking(server, refusing_db.office, clock, anon)


@pytest.mark.parametrize(("change", "status", "code", "reason"), BAD_INPUT)
def test_bad_booking_is_refused_and_changes_nothing(
    refusing: Booking, change: dict[str, Any], status: int, code: str, reason: str | None
) -> None:
    bk = refusing
    a = bk.office.services["A"]
    seq, before = bk.seq(), slots(bk.anon, a)
    body = {**booking_body(a, SLOT_1000, 1), **change}
    error = expect_error(bk.anon.post("/api/v1/public/bookings", body), status, code)
    if reason:
        assert error["details"]["reason"] == reason
    assert slots(bk.anon, a) == before
    assert bk.seq() == seq


def test_a_set_up_change_applies_to_the_very_next_booking(bk: Booking) -> None:
    """The server keeps a service's booking set-up for a few seconds; a change made through
    it (settings, a holiday, booking switched off) still applies to the next request."""
    a = bk.office.services["A"]
    admin = bk.anon.login("admin")
    book(bk.anon, a, TUESDAY_0900, 1)  # the set-up is read (and kept) here
    ok(admin.put(f"/api/v1/services/{a}/booking", {"enabled": True, "capacity": 1}))
    expect_error(
        bk.anon.post("/api/v1/public/bookings", booking_body(a, TUESDAY_0900, 2)), 409, "slot_full"
    )
    ok(admin.post(f"/api/v1/branches/{bk.office.branch_id}/holidays", {"day": "2026-03-03"}), 201)
    expect_error(
        bk.anon.post("/api/v1/public/bookings", booking_body(a, "2026-03-03T03:00:00Z", 3)),
        409,
        "booking_holiday",
    )
    ok(admin.put(f"/api/v1/services/{a}/booking", {"enabled": False}))
    expect_error(
        bk.anon.post("/api/v1/public/bookings", booking_body(a, SLOT_1000, 4)),
        404,
        "service_not_found",
    )


def test_holiday_full_slot_and_double_booking_change_nothing(bk: Booking) -> None:
    a, b = bk.office.services["A"], bk.office.services["B"]
    admin = bk.anon.login("admin")
    ok(admin.post(f"/api/v1/branches/{bk.office.branch_id}/holidays", {"day": "2026-03-04"}), 201)
    seq = bk.seq()
    expect_error(
        bk.anon.post("/api/v1/public/bookings", booking_body(a, "2026-03-04T02:00:00Z", 1)),
        409,
        "booking_holiday",
    )
    assert bk.seq() == seq

    # B: three places per 20-minute slot.
    for serial in (1, 2, 3):
        book(bk.anon, b, TUESDAY_0900, serial)
    assert remaining(bk.anon, b, TUESDAY_0900) == 0
    seq, before = bk.seq(), slots(bk.anon, b)
    expect_error(
        bk.anon.post("/api/v1/public/bookings", booking_body(b, TUESDAY_0900, 4)), 409, "slot_full"
    )
    # One active booking per NIK per service per day, even in another slot of that day …
    expect_error(
        bk.anon.post("/api/v1/public/bookings", booking_body(b, "2026-03-03T05:00:00Z", 1)),
        409,
        "booking_exists",
    )
    assert slots(bk.anon, b) == before and bk.seq() == seq
    # … but another day or another service is fine.
    book(bk.anon, b, "2026-03-05T05:00:00Z", 1)
    book(bk.anon, a, TUESDAY_0900, 1)


def test_cancel_frees_the_place_and_needs_the_nik_or_token(bk: Booking) -> None:
    b = bk.office.services["B"]
    first = book(bk.anon, b, TUESDAY_0900, 1)
    second = book(bk.anon, b, TUESDAY_0900, 2)
    assert remaining(bk.anon, b, TUESDAY_0900) == 1
    seq = bk.seq()
    url = f"/api/v1/public/bookings/{first['code']}/cancel"
    expect_error(bk.anon.post(url, {"nik": nik(2)}), 403, "not_your_booking")
    expect_error(bk.anon.post(url, {"cancel_token": "guess"}), 403, "not_your_booking")
    expect_error(bk.anon.post(url, {"nik": "123"}), 422, "bad_nik")
    expect_error(bk.anon.post(url, {}), 422, "invalid_input")
    expect_error(
        bk.anon.post("/api/v1/public/bookings/ZZZZZZ/cancel", {"nik": nik(1)}),
        404,
        "booking_not_found",
    )
    assert bk.seq() == seq and remaining(bk.anon, b, TUESDAY_0900) == 1

    cancelled = ok(bk.anon.post(url, {"nik": nik(1)}))
    assert cancelled["state"] == "cancelled"
    assert remaining(bk.anon, b, TUESDAY_0900) == 2
    expect_error(bk.anon.post(url, {"nik": nik(1)}), 409, "booking_cancelled")
    ok(
        bk.anon.post(
            f"/api/v1/public/bookings/{second['code']}/cancel",
            {"cancel_token": second["cancel_token"]},
        )
    )
    assert remaining(bk.anon, b, TUESDAY_0900) == 3
    assert bk.seq() == seq + 2
    # The NIK may book again that day once its booking is cancelled.
    book(bk.anon, b, TUESDAY_0900, 1)


def _check_in(api: Api, code: str) -> Any:
    return api.post("/api/v1/bookings/check-in", {"code": code})


def test_check_in_window_and_every_refusal(bk: Booking) -> None:
    a = bk.office.services["A"]
    created = book(bk.anon, a, SLOT_1000, 1)
    code = created["code"]
    seq = bk.seq()
    expect_error(_check_in(bk.kiosk, "NOPE77"), 404, "booking_not_found")
    expect_error(_check_in(bk.kiosk, "O0I1L5"), 404, "booking_not_found")
    expect_error(_check_in(bk.anon, code), 401, "not_authenticated")
    expect_error(_check_in(bk.anon.as_token(bk.office.display_token), code), 403, "forbidden")
    bk.clock.now = datetime(2026, 3, 2, 2, 29, 59, tzinfo=UTC)  # 09:29:59, opens 09:30
    early = expect_error(_check_in(bk.kiosk, code), 409, "booking_too_early")
    assert early["details"]["opens_at"].startswith("2026-03-02T02:30:00")
    assert bk.seq() == seq

    bk.clock.now = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
    ticket = ok(_check_in(bk.kiosk, f"  {code.lower()}\n"), 201)
    assert (ticket["source"], ticket["state"], ticket["number"]) == ("online", "waiting", "A-001")
    assert ticket["booking_name"] is None  # a kiosk is a public screen
    assert bk.seq() == seq + 1  # one ticket.issued
    again = expect_error(_check_in(bk.kiosk, code), 409, "booking_already_checked_in")
    assert again["message"]
    expect_error(
        bk.anon.post(f"/api/v1/public/bookings/{code}/cancel", {"nik": nik(1)}),
        409,
        "booking_already_checked_in",
    )
    assert ok(bk.anon.get(f"/api/v1/public/bookings/{code}"))["ticket_code"] == ticket["code"]

    # Too late: 15 minutes after the slot's start.
    late = book(bk.anon, a, SLOT_1000, 2)
    cancelled = book(bk.anon, a, SLOT_1000, 3)
    ok(bk.anon.post(f"/api/v1/public/bookings/{cancelled['code']}/cancel", {"nik": nik(3)}))
    bk.clock.now = datetime(2026, 3, 2, 3, 15, 1, tzinfo=UTC)
    seq = bk.seq()
    expect_error(_check_in(bk.kiosk, late["code"]), 409, "booking_too_late")
    expect_error(_check_in(bk.kiosk, cancelled["code"]), 409, "booking_cancelled")
    assert bk.seq() == seq


def test_checked_in_booking_is_called_as_appointment_with_its_name_for_staff(bk: Booking) -> None:
    a = bk.office.services["A"]
    walk_in = issue(bk.kiosk, a)
    created = book(bk.anon, a, SLOT_1000, 1, name="Wayan Sudarta")
    bk.clock.now = datetime(2026, 3, 2, 2, 50, tzinfo=UTC)  # 09:50, slot 10:00 is due
    ticket = ok(_check_in(bk.kiosk, created["code"]), 201)
    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    called = call_next(petugas1, bk.office.counters[1])
    assert called is not None and called["id"] == ticket["id"], "the appointment goes first"
    assert called["booking_name"] == "Wayan Sudarta"
    supervisor = bk.anon.login("supervisor")
    assert ok(supervisor.get(f"/api/v1/tickets/{ticket['id']}"))["booking_name"] == "Wayan Sudarta"
    assert ok(bk.kiosk.get(f"/api/v1/tickets/{ticket['id']}"))["booking_name"] is None
    assert ok(supervisor.get(f"/api/v1/tickets/{walk_in['id']}"))["booking_name"] is None
    status = ok(bk.anon.get(f"/api/v1/public/tickets/{ticket['code']}"))
    assert "Wayan" not in str(status) and status["state"] == "called"
    with EventStream(bk.server.url, bk.office.branch_id, supervisor.token, last_event_id=0) as s:
        events = s.events_until_heartbeat()
    assert events and not any("Wayan" in str(e.data) for e in events)
    called_event = [e for e in events if e.event == "ticket.called"][-1]
    assert called_event.data is not None and called_event.data["data"]["reason"] == "appointment"


def test_bookings_never_checked_in_become_no_shows(bk: Booking) -> None:
    a = bk.office.services["A"]
    missed = book(bk.anon, a, SLOT_1000, 1)
    later = book(bk.anon, a, "2026-03-02T04:00:00Z", 2)
    bk.clock.now = datetime(2026, 3, 2, 3, 15, tzinfo=UTC)  # check-in closes now, not yet past
    assert sweep_once(bk.svc) == 0
    bk.clock.now += timedelta(seconds=1)
    seq = bk.seq()
    assert sweep_once(bk.svc) == 1
    assert sweep_once(bk.svc) == 0
    assert bk.seq() == seq + 1
    assert ok(bk.anon.get(f"/api/v1/public/bookings/{missed['code']}"))["state"] == "no_show"
    assert ok(bk.anon.get(f"/api/v1/public/bookings/{later['code']}"))["state"] == "booked"
    expect_error(_check_in(bk.kiosk, missed["code"]), 409, "booking_too_late")
    supervisor = bk.anon.login("supervisor")
    with EventStream(bk.server.url, bk.office.branch_id, supervisor.token, last_event_id=seq) as s:
        [event] = s.events(1)
    assert event.event == "booking.no_show"
    assert event.data is not None and event.data["data"]["booking"]["state"] == "no_show"


def test_admin_changes_a_services_booking_settings(bk: Booking) -> None:
    c = bk.office.services["C"]
    admin = bk.anon.login("admin")
    expect_error(
        bk.anon.login("supervisor").put(f"/api/v1/services/{c}/booking", {"enabled": True}),
        403,
        "forbidden",
    )
    expect_error(admin.put(f"/api/v1/services/{c}/booking", {"capacity": 0}), 422, "invalid_input")
    service = ok(
        admin.put(
            f"/api/v1/services/{c}/booking",
            {"enabled": True, "slot_minutes": 60, "capacity": 2, "window_days": 1},
        )
    )
    assert service["booking"] == {
        "enabled": True,
        "slot_minutes": 60,
        "capacity": 2,
        "window_days": 1,
        "check_in_before": 30,
        "check_in_after": 15,
    }
    found = slots(bk.anon, c)
    assert [d["date"] for d in found["days"]] == ["2026-03-02", "2026-03-03"]
    assert found["days"][1]["remaining"] == 7 * 2


def test_rate_limits_per_client_and_per_nik(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    clock = FrozenClock(START)
    a = sqlite_office_template.office.services["A"]
    url = sqlite_copy(sqlite_office_template, tmp_path)
    with run_server(url, clock=clock, booking_client_burst=3) as server:
        anon = Api(server.url)
        for serial in (1, 2, 3):
            book(anon, a, SLOT_1000, serial)
        before = slots(anon, a)
        expect_error(
            anon.post("/api/v1/public/bookings", booking_body(a, SLOT_1000, 4)), 429, "rate_limited"
        )
        assert slots(anon, a) == before
    with run_server(url, clock=clock, booking_client_burst=1000, booking_nik_burst=2) as server:
        anon = Api(server.url)
        body = booking_body(a, SLOT_1000, 9)
        expect_error(anon.post("/api/v1/public/bookings", {**body, "name": "x"}), 422, "bad_name")
        expect_error(anon.post("/api/v1/public/bookings", {**body, "name": "x"}), 422, "bad_name")
        # The third try with that NIK is refused before it is even looked at.
        expect_error(anon.post("/api/v1/public/bookings", body), 429, "rate_limited")
        assert slots(anon, a) == before
        book(anon, a, SLOT_1000, 10)  # another NIK from the same client is fine


def test_caps_per_nik_and_per_address_block(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    clock = FrozenClock(START)
    a = sqlite_office_template.office.services["A"]
    url = sqlite_copy(sqlite_office_template, tmp_path)
    limits = {"booking_client_burst": 1000, "booking_nik_burst": 1000}
    with run_server(url, clock=clock, booking_active_per_nik=2, **limits) as server:
        anon = Api(server.url)
        book(anon, a, SLOT_1000, 1)
        book(anon, a, TUESDAY_0900, 1)
        before = slots(anon, a)
        wednesday = "2026-03-04T02:00:00Z"
        expect_error(
            anon.post("/api/v1/public/bookings", booking_body(a, wednesday, 1)),
            409,
            "booking_limit",
        )
        assert slots(anon, a) == before
        book(anon, a, wednesday, 2)  # another NIK is fine
    with run_server(url, clock=clock, booking_per_block_per_day=2, **limits) as server:
        anon = Api(server.url)
        # Loopback already made three bookings above (the cap counts the last 24 hours).
        body = booking_body(a, SLOT_1000, 20)
        expect_error(anon.post("/api/v1/public/bookings", body), 429, "address_booking_limit")
        # Another network behind the trusted proxy (loopback) has its own count.
        forwarded = anon.session.post(
            server.url + "/api/v1/public/bookings",
            json=body,
            headers={"X-Forwarded-For": "203.0.113.77", "Idempotency-Key": "k-203"},
            timeout=30,
        )
        created = ok(forwarded, 201)
        svc = server.app.state.services
        with svc.db.read() as session:
            rows = {row.code: row.client_block for row in session.scalars(select(BookingRow))}
        assert rows[created["code"]] == "203.0.113.0/24"  # the block, never the address
        assert set(rows.values()) == {"127.0.0.0/24", "203.0.113.0/24"}


def test_supervisor_cancels_a_run_of_bookings_by_network_or_codes(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    clock = FrozenClock(START)
    office = sqlite_office_template.office
    a = office.services["A"]
    url = sqlite_copy(sqlite_office_template, tmp_path)
    with run_server(url, clock=clock, booking_client_burst=1000) as server:
        anon = Api(server.url)
        places = remaining(anon, a, SLOT_1000)
        run = [book(anon, a, SLOT_1000, serial)["code"] for serial in (1, 2, 3)]
        elsewhere = ok(
            anon.session.post(
                server.url + "/api/v1/public/bookings",
                json=booking_body(a, SLOT_1000, 4),
                headers={"X-Forwarded-For": "203.0.113.9"},
                timeout=30,
            ),
            201,
        )["code"]
        assert remaining(anon, a, SLOT_1000) == places - 4
        path = f"/api/v1/branches/{office.branch_id}/bookings/cancel"
        body = {"from_network": "127.0.0.0/24", "since": START.isoformat()}
        expect_error(anon.login("petugas1").post(path, body), 403, "forbidden")
        supervisor = anon.login("supervisor")
        for bad in (
            {},
            {"from_network": "127.0.0.0/24"},  # needs since
            {"codes": run, "from_network": "127.0.0.0/24", "since": START.isoformat()},
        ):
            expect_error(supervisor.post(path, bad), 422, "invalid_input")
        expect_error(
            supervisor.post(path, {"from_network": "not-a-net", "since": START.isoformat()}),
            422,
            "invalid_input",
        )
        done = ok(supervisor.post(path, body))
        assert done == {"cancelled": sorted(run), "skipped": []}
        assert remaining(anon, a, SLOT_1000) == places - 1
        assert ok(anon.get(f"/api/v1/public/bookings/{run[0]}"))["state"] == "cancelled"
        done = ok(supervisor.post(path, {"codes": [run[0], elsewhere]}))
        assert done == {"cancelled": [elsewhere], "skipped": [run[0]]}
        assert remaining(anon, a, SLOT_1000) == places


def test_cli_cancels_a_run_of_bookings_from_an_address_block(
    sqlite_office_template: OfficeTemplate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from counter_app.cli import main

    clock = FrozenClock(START)
    a = sqlite_office_template.office.services["A"]
    url = sqlite_copy(sqlite_office_template, tmp_path)
    with run_server(url, clock=clock, booking_client_burst=1000) as server:
        anon = Api(server.url)
        mine = book(anon, a, SLOT_1000, 1)["code"]
        theirs = [
            ok(
                anon.session.post(
                    server.url + "/api/v1/public/bookings",
                    json=booking_body(a, SLOT_1000, serial),
                    headers={"X-Forwarded-For": f"10.0.0.{serial}"},
                    timeout=30,
                ),
                201,
            )["code"]
            for serial in (2, 3)
        ]
    since = (START - timedelta(hours=1)).isoformat()
    assert main(["bookings", "cancel", "--db", url, "--from-address", "10.0.0.0/24"]) == 2
    assert main(["bookings", "cancel", "--db", url, "--from-address", "x", "--since", since]) == 2
    capsys.readouterr()
    argv = ["bookings", "cancel", "--db", url, "--from-address", "10.0.0.0/24", "--since", since]
    assert main(argv) == 0
    assert f"cancelled 2: {' '.join(sorted(theirs))}" in capsys.readouterr().out
    with run_server(url, clock=clock) as server:
        anon = Api(server.url)
        assert ok(anon.get(f"/api/v1/public/bookings/{mine}"))["state"] == "booked"
        for code in theirs:
            assert ok(anon.get(f"/api/v1/public/bookings/{code}"))["state"] == "cancelled"
