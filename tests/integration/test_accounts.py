"""Accounts and sessions: login throttling and its security log, disabling and enabling users,
setting passwords, and tokens in URLs only for event streams — on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from counter_app.core.vocabulary import CounterState
from counter_app.store.models import Event
from tests.conftest import Running
from tests.support.office import PASSWORD
from tests.support.queue_ops import call_next, issue, set_state
from tests.support.sse import EventStream

if TYPE_CHECKING:
    from counter_app.core.login_guard import LoginGuard

LOGIN = "/api/v1/auth/login"


def _login(running: Running, username: str, password: str) -> tuple[int, dict[str, object]]:
    r = running.anon.post(LOGIN, {"username": username, "password": password})
    return r.status_code, r.json()


def _user_id(running: Running, name: str) -> int:
    users = running.login("admin").get("/api/v1/users").json()
    return next(u["id"] for u in users if u["username"] == name)


def test_sixty_wrong_passwords_then_the_right_one_is_throttled(
    in_process: Running, caplog: pytest.LogCaptureFixture
) -> None:
    now = [1000.0]
    if hasattr(in_process.server.app.state, "login_guard"):
        guard: LoginGuard = in_process.server.app.state.login_guard
        guard.monotonic = lambda: now[0]
    caplog.set_level(logging.INFO, logger="counter_app.security")
    statuses = [_login(in_process, "admin", f"wrong-{i}")[0] for i in range(60)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[6:]) == {429}, "after the free tries, each try waits"
    r = in_process.anon.post(LOGIN, {"username": "admin", "password": PASSWORD})
    assert r.status_code == 429
    assert r.json()["error"] == "login_throttled"
    assert int(r.headers["Retry-After"]) >= 1
    # Once the delay has passed, the right password works (and clears the count).
    now[0] += int(r.headers["Retry-After"])
    assert _login(in_process, "admin", PASSWORD)[0] == 200
    messages = [(rec.levelname, rec.getMessage()) for rec in caplog.records]
    assert ("WARNING", "login failed user='admin' from=testclient") in messages
    assert any(m.startswith("login throttled user='admin' from=testclient") for _l, m in messages)
    assert ("INFO", "login ok user='admin' from=testclient") in messages
    assert all(rec.name == "counter_app.security" for rec in caplog.records if "login" in rec.msg)


def test_a_disabled_user_loses_tokens_counter_and_login_at_once(in_process: Running) -> None:
    officer = in_process.login("petugas1")
    counter = in_process.office.counters[1]
    opened = officer.post(f"/api/v1/counters/{counter}/state", {"state": "open"})
    assert opened.status_code == 200, opened.text
    admin = in_process.login("admin")
    user_id = _user_id(in_process, "petugas1")

    r = admin.post(f"/api/v1/users/{user_id}/disable")
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    refused = officer.get("/api/v1/auth/me")
    assert (refused.status_code, refused.json()["error"]) == (401, "bad_token")
    assert _login(in_process, "petugas1", PASSWORD)[0] == 401
    counters = admin.get(f"/api/v1/branches/{in_process.office.branch_id}/counters").json()
    closed = next(c for c in counters if c["id"] == counter)
    assert closed["state"] == CounterState.CLOSED.value and closed["officer_id"] is None
    db = in_process.server.app.state.services.db
    with db.read() as session:
        last = session.scalars(select(Event).order_by(Event.id.desc()).limit(1)).one()
    assert (last.kind, last.counter_id, last.payload["data"]["reason"]) == (
        "counter.state",
        counter,
        "account disabled",
    )

    assert admin.post(f"/api/v1/users/{user_id}/enable").json()["active"] is True
    assert _login(in_process, "petugas1", PASSWORD)[0] == 200


def test_only_an_admin_disables_and_never_themself(in_process: Running) -> None:
    admin_id = _user_id(in_process, "admin")
    officer_id = _user_id(in_process, "petugas2")
    supervisor = in_process.login("supervisor")
    r = supervisor.post(f"/api/v1/users/{officer_id}/disable")
    assert (r.status_code, r.json()["error"]) == (403, "forbidden")
    r = in_process.login("petugas2").post(f"/api/v1/users/{officer_id}/enable")
    assert r.status_code == 403
    admin = in_process.login("admin")
    r = admin.post(f"/api/v1/users/{admin_id}/disable")
    assert (r.status_code, r.json()["error"]) == (409, "cannot_disable_self")
    r = admin.post("/api/v1/users/999999/disable")
    assert (r.status_code, r.json()["error"]) == (404, "user_not_found")


def test_set_password_for_oneself_and_by_an_admin(in_process: Running) -> None:
    user_id = _user_id(in_process, "petugas3")
    first = in_process.login("petugas3")
    second = in_process.login("petugas3")
    path = f"/api/v1/users/{user_id}/password"

    r = first.put(path, {"new_password": "a-new-password-1"})
    assert (r.status_code, r.json()["error"]) == (422, "invalid_input")
    r = first.put(path, {"new_password": "a-new-password-1", "old_password": "not-it"})
    assert (r.status_code, r.json()["error"]) == (403, "old_password_wrong")
    r = first.put(path, {"new_password": "a-new-password-1", "old_password": PASSWORD})
    assert r.status_code == 200, r.text
    assert first.get("/api/v1/auth/me").status_code == 200, "the changing session stays"
    assert second.get("/api/v1/auth/me").status_code == 401, "other sessions end"
    assert _login(in_process, "petugas3", PASSWORD)[0] == 401
    assert _login(in_process, "petugas3", "a-new-password-1")[0] == 200

    other = in_process.login("petugas4")
    r = first.put(
        f"/api/v1/users/{_user_id(in_process, 'petugas4')}/password",
        {"new_password": "whatever-123", "old_password": "a-new-password-1"},
    )
    assert r.status_code == 403, "an officer cannot set someone else's password"
    r = in_process.login("admin").put(
        f"/api/v1/users/{_user_id(in_process, 'petugas4')}/password",
        {"new_password": "reset-by-admin-1"},
    )
    assert r.status_code == 200, r.text
    assert other.get("/api/v1/auth/me").status_code == 401, "a reset ends every session"
    assert _login(in_process, "petugas4", "reset-by-admin-1")[0] == 200


def test_a_token_in_the_address_is_refused_except_for_event_streams(in_process: Running) -> None:
    token = in_process.login("petugas1").token
    r = in_process.anon.get(f"/api/v1/auth/me?access_token={token}")
    assert (r.status_code, r.json()["error"]) == (401, "bad_authorization")
    counter = in_process.office.counters[1]
    r = in_process.anon.post(f"/api/v1/counters/{counter}/state?access_token={token}", {})
    assert r.status_code == 401
    r = in_process.anon.get(
        f"/api/v1/branches/{in_process.office.branch_id}/snapshot?access_token={token}"
    )
    assert r.status_code == 401


def _stream_ends(stream: EventStream, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        try:
            stream.next_message(deadline)
        except AssertionError as exc:
            return "event stream ended" in str(exc)


def test_disabling_a_user_ends_their_live_event_stream(running: Running) -> None:
    officer = running.login("petugas2")
    assert officer.token is not None
    user_id = _user_id(running, "petugas2")
    with (
        EventStream(running.server.url, running.office.branch_id, officer.token) as mine,
        EventStream(
            running.server.url, running.office.branch_id, running.office.display_token
        ) as other,
    ):
        assert mine.response.status_code == 200
        assert mine.next_message(time.monotonic() + 5).comments == ["connected"]
        r = running.login("admin").post(f"/api/v1/users/{user_id}/disable")
        assert r.status_code == 200, r.text
        assert _stream_ends(mine), "the disabled user's stream must end"
        message = other.next_message(time.monotonic() + 5)
        assert message.comments or message.is_event, "other streams go on"


def test_logging_out_ends_the_sessions_stream(running_sqlite: Running) -> None:
    officer = running_sqlite.login("petugas1")
    assert officer.token is not None
    with EventStream(
        running_sqlite.server.url, running_sqlite.office.branch_id, officer.token
    ) as mine:
        assert mine.response.status_code == 200
        assert officer.post("/api/v1/auth/logout").status_code == 204
        assert _stream_ends(mine)


def test_a_disabled_officers_counter_with_a_ticket_goes_on_break(in_process: Running) -> None:
    officer = in_process.login("petugas2")
    counter = in_process.office.counters[2]
    set_state(officer, counter, "open")
    issue(in_process.kiosk, in_process.office.services["A"])
    called = call_next(officer, counter)
    assert called is not None
    admin = in_process.login("admin")
    r = admin.post(f"/api/v1/users/{_user_id(in_process, 'petugas2')}/disable")
    assert r.status_code == 200, r.text
    counters = admin.get(f"/api/v1/branches/{in_process.office.branch_id}/counters").json()
    held = next(c for c in counters if c["id"] == counter)
    # The ticket is not orphaned: the counter stops calling, the supervisor moves it on.
    assert (held["state"], held["break_reason"]) == ("break", "account disabled")
    assert officer.get("/api/v1/auth/me").status_code == 401
