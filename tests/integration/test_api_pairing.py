"""Pairing a station by code, and managing devices' access (list, revoke, rotate, expiry) —
on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from counter_app.server.api.pairing import ClaimLimits
from counter_app.store.pairing import ALPHABET, CODE_LENGTH, normalised
from tests.conftest import Running
from tests.support.http import serve_in_process
from tests.support.queue_ops import expect_error, ok
from tests.support.sse import EventStream

CODES = "/api/v1/pairing/codes"
CLAIM = "/api/v1/pairing/claim"
DEVICES = "/api/v1/devices"


def _code(running: Running, kind: str = "display", name: str = "TV lobi", **extra: object) -> str:
    body = ok(running.login("supervisor").post(CODES, {"kind": kind, "name": name, **extra}), 201)
    code = str(body["code"])
    assert len(code) == CODE_LENGTH + 1 and code[4] == "-"
    assert all(c in ALPHABET for c in code.replace("-", ""))
    return code


def _devices(running: Running) -> dict[str, dict[str, object]]:
    rows = ok(running.login("supervisor").get(DEVICES))
    return {str(d["name"]): d for d in rows}


def test_a_claimed_code_gives_a_working_device_token_once(in_process: Running) -> None:
    code = _code(in_process)
    body = ok(in_process.anon.post(CLAIM, {"code": code.lower().replace("-", " ")}))
    assert body["branch_id"] == in_process.office.branch_id
    assert (body["device_name"], body["kind"]) == ("TV lobi", "display")
    assert body["certificate_sha256"] is None  # plain HTTP here
    tv = in_process.anon.as_token(str(body["token"]))
    branch = in_process.office.branch_id
    ok(tv.get(f"/api/v1/branches/{branch}/snapshot"))
    expect_error(in_process.anon.post(CLAIM, {"code": code}), 404, "pairing_code_unknown")
    assert _devices(in_process)["TV lobi"]["has_valid_token"] is True


def test_wrong_and_malformed_codes_are_refused_alike(in_process: Running) -> None:
    _code(in_process)
    for wrong in ("AAAA-AAAA", "0000-0000", "short", "ABCD-EFGH-JK"):
        expect_error(in_process.anon.post(CLAIM, {"code": wrong}), 404, "pairing_code_unknown")
    expect_error(in_process.anon.post(CLAIM, {"code": ""}), 422, "invalid_input")


def test_only_supervisors_and_admins_make_codes(in_process: Running) -> None:
    body = {"kind": "kiosk", "name": "Kiosk 2"}
    expect_error(in_process.anon.post(CODES, body), 401, "not_authenticated")
    expect_error(in_process.login("petugas1").post(CODES, body), 403, "forbidden")
    expect_error(in_process.kiosk.post(CODES, body), 403, "forbidden")
    ok(
        in_process.login("admin").post(CODES, {**body, "branch_id": in_process.office.branch_id}),
        201,
    )
    expect_error(
        in_process.login("supervisor").post(CODES, {"kind": "toaster", "name": "x"}),
        422,
        "invalid_input",
    )


def test_a_code_expires_after_ten_minutes(office_db: object, tmp_path: object) -> None:
    now = [datetime(2026, 12, 3, 9, 0, tzinfo=UTC)]
    with serve_in_process(office_db.url, clock=lambda: now[0]) as (server, anon):  # type: ignore[attr-defined]
        running = Running(server, office_db.office, anon)  # type: ignore[attr-defined]
        late, early = _code(running, name="TV 1"), _code(running, name="TV 2")
        now[0] += timedelta(minutes=9, seconds=59)
        ok(anon.post(CLAIM, {"code": early}))
        now[0] += timedelta(seconds=1)
        expect_error(anon.post(CLAIM, {"code": late}), 404, "pairing_code_unknown")


def test_guessing_is_throttled_per_address_and_overall(in_process: Running) -> None:
    clock = [1000.0]
    limits = ClaimLimits(clock=lambda: clock[0])
    in_process.server.app.state.pairing_limits = limits  # type: ignore[union-attr]
    for _ in range(5):
        expect_error(
            in_process.anon.post(CLAIM, {"code": "AAAA-AAAA"}), 404, "pairing_code_unknown"
        )
    expect_error(in_process.anon.post(CLAIM, {"code": "AAAA-AAAA"}), 429, "rate_limited")
    good = _code(in_process)
    expect_error(in_process.anon.post(CLAIM, {"code": good}), 429, "rate_limited")
    clock[0] += 13  # one more try per 12 s
    ok(in_process.anon.post(CLAIM, {"code": good}))
    # Overall: many addresses together get 20 tries, then one every 2 s.
    overall = ClaimLimits(clock=lambda: clock[0])
    allowed = sum(1 for n in range(40) if _allowed(overall, f"10.0.0.{n}"))
    assert allowed == 20


def _allowed(limits: ClaimLimits, address: str) -> bool:
    try:
        limits.check(address)
    except Exception:
        return False
    return True


def test_normalised_codes() -> None:
    assert normalised(" abcd-efgh ") == "ABCDEFGH"
    assert normalised("ABCD EFG") is None
    assert normalised("ABCD-EFG0") is None  # 0 is not in the alphabet


def test_list_revoke_rotate(in_process: Running) -> None:
    supervisor = in_process.login("supervisor")
    devices = _devices(in_process)
    assert {"Kiosk lobi", "TV ruang tunggu"} <= set(devices)
    assert all("token" not in d for d in devices.values())
    kiosk_id = devices["Kiosk lobi"]["id"]
    branch = in_process.office.branch_id
    ok(in_process.kiosk.get(f"/api/v1/branches/{branch}/snapshot"))

    rotated = ok(supervisor.post(f"{DEVICES}/{kiosk_id}/rotate", {"expires_days": 30}))
    assert rotated["device"]["token_expires_at"] == rotated["expires_at"]  # type: ignore[index]
    expect_error(in_process.kiosk.get(f"/api/v1/branches/{branch}/snapshot"), 401, "bad_token")
    new = in_process.anon.as_token(str(rotated["token"]))
    ok(new.get(f"/api/v1/branches/{branch}/snapshot"))

    revoked = ok(supervisor.post(f"{DEVICES}/{kiosk_id}/revoke"))
    assert (revoked["active"], revoked["has_valid_token"]) == (False, False)
    expect_error(new.get(f"/api/v1/branches/{branch}/snapshot"), 401, "bad_token")

    expect_error(in_process.login("petugas1").get(DEVICES), 403, "forbidden")
    expect_error(supervisor.post(f"{DEVICES}/999999/revoke"), 404, "device_not_found")
    expect_error(
        supervisor.post(f"{DEVICES}/{kiosk_id}/rotate", {"expires_days": 0}), 422, "invalid_input"
    )


def test_pairing_an_existing_name_replaces_its_token(in_process: Running) -> None:
    branch = in_process.office.branch_id
    code = _code(in_process, kind="kiosk", name="Kiosk lobi")
    body = ok(in_process.anon.post(CLAIM, {"code": code}))
    assert body["device_id"] == _devices(in_process)["Kiosk lobi"]["id"]
    expect_error(in_process.kiosk.get(f"/api/v1/branches/{branch}/snapshot"), 401, "bad_token")


def test_a_device_token_with_an_expiry_stops_then(office_db: object) -> None:
    now = [datetime(2026, 12, 3, 9, 0, tzinfo=UTC)]
    with serve_in_process(office_db.url, clock=lambda: now[0]) as (server, anon):  # type: ignore[attr-defined]
        running = Running(server, office_db.office, anon)  # type: ignore[attr-defined]
        code = _code(running, expires_days=2)
        body = ok(anon.post(CLAIM, {"code": code}))
        assert body["token_expires_at"] is not None
        tv = anon.as_token(str(body["token"]))
        branch = running.office.branch_id
        ok(tv.get(f"/api/v1/branches/{branch}/snapshot"))
        now[0] += timedelta(days=2)
        expect_error(tv.get(f"/api/v1/branches/{branch}/snapshot"), 401, "bad_token")


def _stream_ends(stream: EventStream, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        try:
            stream.next_message(deadline)
        except AssertionError as exc:
            return "event stream ended" in str(exc)


@pytest.mark.parametrize("action", ["revoke", "rotate"])
def test_revoking_a_device_ends_its_live_stream(running_sqlite: Running, action: str) -> None:
    running = running_sqlite
    tv_id = _devices(running)["TV ruang tunggu"]["id"]
    officer = running.login("petugas1")
    assert officer.token is not None
    with (
        EventStream(
            running.server.url, running.office.branch_id, running.office.display_token
        ) as tv,
        EventStream(running.server.url, running.office.branch_id, officer.token) as other,
    ):
        assert tv.next_message(time.monotonic() + 5).comments == ["connected"]
        assert _devices(running)["TV ruang tunggu"]["last_seen_at"] is not None
        ok(running.login("supervisor").post(f"{DEVICES}/{tv_id}/{action}", {}))
        assert _stream_ends(tv), "the revoked device's stream must end"
        message = other.next_message(time.monotonic() + 5)
        assert message.comments or message.is_event, "other streams go on"
