"""Citizens' personal data in bookings (docs/PRIVACY.md): retention, access and erasure, the
NIK key kept outside the database, booked names only for the counter holding the ticket."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text, update

from counter_app.cli import main
from counter_app.core.nik import check_nik, nik_key_id
from counter_app.server.sweeper import sweep_once
from counter_app.store.db import normalise_url
from counter_app.store.models import Booking as BookingRow
from counter_app.store.models import ServerSecret
from counter_app.store.secrets import NikKeyError, derive, read_key_file
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.booking import Booking, book, nik
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import act, call_next, expect_error, ok, set_state
from tests.support.sse import EventStream

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
SLOT_1000 = "2026-03-02T03:00:00Z"
TUESDAY_0900 = "2026-03-03T02:00:00Z"


def _rows(bk: Booking) -> list[BookingRow]:
    with bk.svc.db.read() as session:
        rows = list(session.scalars(select(BookingRow).order_by(BookingRow.id)))
        session.expunge_all()
    return rows


def test_personal_data_is_erased_a_set_number_of_days_after_the_slot(bk: Booking) -> None:
    a = bk.office.services["A"]
    kept = book(bk.anon, a, SLOT_1000, 1, name="Wayan Sudarta")
    cancelled = book(bk.anon, a, TUESDAY_0900, 2)
    ok(bk.anon.post(f"/api/v1/public/bookings/{cancelled['code']}/cancel", {"nik": nik(2)}))
    slot = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    bk.clock.now = slot + timedelta(days=30) - timedelta(seconds=1)
    sweep_once(bk.svc)  # the 10:00 booking becomes a no-show; not yet 30 days
    assert all(r.name and r.nik_hash and r.anonymised_at is None for r in _rows(bk))
    seq = bk.seq()
    bk.clock.now = slot + timedelta(days=30, seconds=1)
    assert sweep_once(bk.svc) == 1
    first, second = _rows(bk)
    assert (first.name, first.nik_hash, first.nik_key_id, first.nik_last4, first.phone) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert first.anonymised_at == bk.clock.now and first.state == "no_show"
    assert second.name == "Budi Santoso" and second.anonymised_at is None  # a day later
    supervisor = bk.anon.login("supervisor")
    with EventStream(bk.server.url, bk.office.branch_id, supervisor.token, last_event_id=seq) as s:
        [event] = s.events(1)
    assert event.event == "booking.anonymised" and event.data is not None
    assert event.data["data"]["bookings"] == {"ids": [first.id], "reason": "retention"}
    public = ok(bk.anon.get(f"/api/v1/public/bookings/{kept['code']}"))
    assert public["state"] == "no_show" and public["name_masked"] is None
    bk.clock.now += timedelta(days=1)
    assert sweep_once(bk.svc) == 1 and _rows(bk)[1].name is None
    assert sweep_once(bk.svc) == 0


def test_the_retention_period_is_a_setting(office_db: OfficeTemplate) -> None:
    clock = FrozenClock(START)
    with run_server(office_db.url, clock=clock, booking_retention_days=2) as server:
        created = book(Api(server.url), office_db.office.services["A"], SLOT_1000, 1)
        clock.now = START + timedelta(days=2, hours=3)
        svc = server.app.state.services
        assert sweep_once(svc) >= 1
        with svc.db.read() as session:
            row = session.scalars(select(BookingRow).where(BookingRow.code == created["code"]))
            assert row.one().name is None


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.startswith("{") else out


def test_a_citizen_gets_everything_held_and_has_it_erased(
    bk: Booking, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = bk.office.services["A"], bk.office.services["B"]
    served = book(bk.anon, a, SLOT_1000, 1, name="Wayan Sudarta")
    coming = book(bk.anon, b, TUESDAY_0900, 1, name="Wayan Sudarta")
    other = book(bk.anon, a, SLOT_1000, 2, name="Ni Luh Putu")
    bk.clock.now = datetime(2026, 3, 2, 2, 50, tzinfo=UTC)
    ticket = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": served["code"]}), 201)
    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    assert (call_next(petugas1, bk.office.counters[1]) or {})["id"] == ticket["id"]
    act(petugas1, ticket["id"], "start")
    act(petugas1, ticket["id"], "finish")
    db = ["--db", bk.server.settings.db_url]

    code, held = _cli(capsys, "privacy", "export", "--nik", nik(1), *db)
    assert code == 0 and held["nik_last4"] == "0001"
    assert [h["code"] for h in held["bookings"]] == [served["code"], coming["code"]]
    first = held["bookings"][0]
    assert (first["name"], first["nik_last4"], first["state"], first["phone"]) == (
        "Wayan Sudarta",
        "0001",
        "checked_in",
        None,
    )
    assert [(t["number"], t["state"]) for t in first["tickets"]] == [("A-001", "done")]
    assert first["survey"] is None and held["bookings"][1]["tickets"] == []
    assert "Ni Luh" not in json.dumps(held) and nik(1) not in json.dumps(held)

    seq = bk.seq()
    code, done = _cli(capsys, "privacy", "erase", "--nik", nik(1), *db)
    assert code == 0
    assert done == {
        "bookings_anonymised": [served["code"], coming["code"]],
        "bookings_cancelled": [coming["code"]],
        "ticket_notes_emptied": 0,
    }
    rows = {r.code: r for r in _rows(bk)}
    for erased in (served, coming):
        row = rows[erased["code"]]
        assert row.name is None and row.nik_hash is None and row.anonymised_at is not None
    assert rows[coming["code"]].state == "cancelled"
    assert rows[other["code"]].name == "Ni Luh Putu"
    supervisor = bk.anon.login("supervisor")
    with EventStream(bk.server.url, bk.office.branch_id, supervisor.token, last_event_id=seq) as s:
        events = s.events(2)
    assert [e.event for e in events] == ["booking.cancelled", "booking.anonymised"]
    assert events[1].data is not None and events[1].data["data"]["bookings"]["reason"] == "erasure"
    assert "Wayan" not in str([e.data for e in events])
    assert _cli(capsys, "privacy", "export", "--nik", nik(1), *db)[1]["bookings"] == []
    assert ok(supervisor.get(f"/api/v1/tickets/{ticket['id']}"))["booking_name"] is None
    assert main(["privacy", "export", "--nik", "123", *db]) == 2
    assert "16 digits" in capsys.readouterr().err


def test_a_database_file_alone_holds_no_nik_key(
    sqlite_office_template: OfficeTemplate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COUNTER_APP_NIK_KEY_FILE")  # the default place: beside the database
    url = sqlite_copy(sqlite_office_template, tmp_path)
    database = Path(url.removeprefix("sqlite:///"))
    with run_server(url, clock=FrozenClock(START)) as server:
        book(Api(server.url), sqlite_office_template.office.services["A"], SLOT_1000, 1)
    key_file = database.with_name(database.stem + ".nik-keys")
    keys = read_key_file(key_file)
    assert keys is not None and len(keys.keys) == 1
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = keys.current
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert (
        key not in raw and key.hex().encode() not in raw and key.hex().upper().encode() not in raw
    )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            secrets = [bytes.fromhex(v) for v in conn.scalars(select(ServerSecret.value))]
            [(digest, key_id)] = conn.execute(select(BookingRow.nik_hash, BookingRow.nik_key_id))
    finally:
        engine.dispose()
    # No secret in the database is, or gives, the NIK key; the hash is the key file's.
    assert secrets and all(s != key and derive(s, "nik") != key for s in secrets)
    assert key_id == nik_key_id(key) and digest == check_nik(nik(1)).digest(key)


def test_an_older_databases_key_moves_out_on_first_start(
    office_db: OfficeTemplate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "keys" / "nik-keys"
    monkeypatch.setenv("COUNTER_APP_NIK_KEY_FILE", str(key_file))
    clock = FrozenClock(START)
    a = office_db.office.services["A"]
    with run_server(office_db.url, clock=clock) as server:
        created = book(Api(server.url), a, SLOT_1000, 1)
    # As an older version left it: one secret in the database, hashes without a key id.
    legacy = bytes(range(32))
    engine = create_engine(normalise_url(office_db.url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM server_secrets"))
            conn.execute(
                ServerSecret.__table__.insert().values(
                    name="booking", value=legacy.hex(), created_at=START
                )
            )
            conn.execute(
                update(BookingRow).values(
                    nik_hash=check_nik(nik(1)).digest(derive(legacy, "nik")), nik_key_id=None
                )
            )
    finally:
        engine.dispose()
    key_file.unlink()
    with run_server(office_db.url, clock=clock) as server:
        keys = read_key_file(key_file)
        assert keys is not None and keys.keys == (derive(legacy, "nik"),)
        with server.app.state.services.db.read() as session:
            names = set(session.scalars(select(ServerSecret.name)))
            assert names == {"form"}
            assert session.scalar(select(BookingRow.nik_key_id)) == keys.current_id
        cancel = f"/api/v1/public/bookings/{created['code']}/cancel"
        assert ok(Api(server.url).post(cancel, {"nik": nik(1)}))["state"] == "cancelled"
    # The key file lost: the server refuses to start rather than hash with a new key.
    key_file.unlink()
    with pytest.raises(NikKeyError, match="lacks"), run_server(office_db.url, clock=clock):
        pass


def test_rotating_the_nik_key_keeps_older_bookings_verifiable(
    office_db: OfficeTemplate,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_file = tmp_path / "nik-keys"
    monkeypatch.setenv("COUNTER_APP_NIK_KEY_FILE", str(key_file))
    clock = FrozenClock(START)
    a = office_db.office.services["A"]
    with run_server(office_db.url, clock=clock) as server:
        before = book(Api(server.url), a, SLOT_1000, 1)
    assert main(["privacy", "rotate-nik-key", "--db", office_db.url]) == 0
    out = capsys.readouterr().out
    keys = read_key_file(key_file)
    assert keys is not None and len(keys.keys) == 2
    assert f"new NIK key {keys.current_id}" in out
    assert f"older key {keys.ids[0]}: 1 booking hashes still made with it" in out
    with run_server(office_db.url, clock=clock) as server:
        anon = Api(server.url)
        after = book(anon, a, SLOT_1000, 2)
        # One booking per NIK, service and day holds across keys.
        expect_error(
            anon.post("/api/v1/public/bookings", _body(a, SLOT_1000, 1)), 409, "booking_exists"
        )
        with server.app.state.services.db.read() as session:
            ids = dict(session.execute(select(BookingRow.code, BookingRow.nik_key_id)).all())
        assert ids == {before["code"]: keys.ids[0], after["code"]: keys.current_id}
        cancel = f"/api/v1/public/bookings/{before['code']}/cancel"
        assert ok(anon.post(cancel, {"nik": nik(1)}))["state"] == "cancelled"


def _body(service_id: int, start: str, serial: int) -> dict[str, Any]:
    return {"service_id": service_id, "slot_start": start, "nik": nik(serial), "name": "Budi S"}


def test_the_booked_name_is_for_the_counter_holding_the_ticket(bk: Booking) -> None:
    a = bk.office.services["A"]
    created = book(bk.anon, a, SLOT_1000, 1, name="Wayan Sudarta")
    bk.clock.now = datetime(2026, 3, 2, 2, 50, tzinfo=UTC)
    ticket = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": created["code"]}), 201)
    petugas1, petugas2 = bk.anon.login("petugas1"), bk.anon.login("petugas2")
    one, two = bk.office.counters[1], bk.office.counters[2]
    set_state(petugas1, one, "open")
    set_state(petugas2, two, "open")

    def name_for(api: Api, ticket_id: int) -> str | None:
        found: str | None = ok(api.get(f"/api/v1/tickets/{ticket_id}"))["booking_name"]
        return found

    # Waiting: nobody's counter holds it yet; supervisors see it.
    assert name_for(petugas1, ticket["id"]) is None and name_for(petugas2, ticket["id"]) is None
    assert name_for(bk.anon.login("supervisor"), ticket["id"]) == "Wayan Sudarta"
    assert name_for(bk.anon.login("admin"), ticket["id"]) == "Wayan Sudarta"
    assert (call_next(petugas1, one) or {})["booking_name"] == "Wayan Sudarta"
    assert name_for(petugas1, ticket["id"]) == "Wayan Sudarta"
    assert name_for(petugas2, ticket["id"]) is None  # another officer stepping through ids
    moved = ok(
        bk.anon.login("petugas1").post(
            f"/api/v1/tickets/{ticket['id']}/transfer", {"counter_id": two}
        )
    )
    assert name_for(petugas2, moved["id"]) == "Wayan Sudarta"  # transferred to their counter
    assert name_for(petugas1, moved["id"]) is None
    assert name_for(petugas1, ticket["id"]) is None  # no longer at their counter


def test_the_lookup_shows_personal_parts_only_to_the_booker_or_whom_types_the_nik(
    bk: Booking,
) -> None:
    import re

    import requests

    created = book(bk.anon, bk.office.services["A"], SLOT_1000, 1, name="Wayan Sudarta")
    public = ok(bk.anon.get(f"/api/v1/public/bookings/{created['code']}"))
    assert public["name_masked"] is None and public["nik_last4"] is None
    assert public["state"] == "booked" and public["slot_start"] == SLOT_1000
    page_url = f"{bk.server.url}/pesan/kode/{created['code']}"
    stranger = requests.Session()
    page = stranger.get(page_url, timeout=10)
    assert page.status_code == 200 and "W****" not in page.text and "•••• 0001" not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    wrong = stranger.post(
        page_url + "/lihat", data={"csrf_token": token.group(1), "nik": nik(2)}, timeout=10
    )
    assert wrong.status_code == 403 and "W****" not in wrong.text
    right = stranger.post(
        page_url + "/lihat", data={"csrf_token": token.group(1), "nik": nik(1)}, timeout=10
    )
    assert right.status_code == 200 and "W**** S******" in right.text
    assert "•••• 0001" in right.text
    # The browser that booked it holds the booking's cookie: it sees them at once.
    booker = requests.Session()
    booker.cookies.set("bk_" + created["code"], created["cancel_token"])
    assert "W**** S******" in booker.get(page_url, timeout=10).text
    booker.cookies.set("bk_" + created["code"], "forged")
    assert "W****" not in booker.get(page_url, timeout=10).text


def test_six_character_codes_given_out_before_stay_valid(bk: Booking) -> None:
    created = book(bk.anon, bk.office.services["A"], SLOT_1000, 1)
    with bk.svc.db.write() as session:
        session.execute(
            update(BookingRow).where(BookingRow.code == created["code"]).values(code="K7M3XA")
        )
    assert ok(bk.anon.get("/api/v1/public/bookings/k7m3xa"))["state"] == "booked"
    bk.clock.now = datetime(2026, 3, 2, 2, 50, tzinfo=UTC)
    ticket = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": " k7m3xa "}), 201)
    assert ticket["source"] == "online"
    expect_error(bk.anon.get("/api/v1/public/bookings/K7M3XAA"), 404, "booking_not_found")


def test_the_migration_erases_phone_numbers_already_stored(tmp_path: Path) -> None:
    from alembic import command

    from counter_app.store.migrate import alembic_config, upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0005")
            conn.execute(
                text(
                    "INSERT INTO bookings (id, branch_id, service_id, code, state, slot_start,"
                    " slot_end, slot_day, nik_hash, nik_last4, name, phone, cancel_token_hash,"
                    " created_at) VALUES (1, 1, 1, 'K7M3XA', 'booked', :t, :t, '2026-03-02',"
                    " 'h', '0001', 'Budi', '+6281234567890', 'c', :t)"
                ),
                {"t": "2026-03-02 03:00:00.000000"},
            )
        upgrade(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, phone FROM bookings")).one()
    finally:
        engine.dispose()
    assert tuple(row) == ("Budi", None)
