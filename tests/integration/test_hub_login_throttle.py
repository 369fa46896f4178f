"""The hub's logins are guarded as a branch's are (hub.login, core.login_guard): repeated
failures for a name are throttled with growing delays, 429 ``login_throttled`` with
``Retry-After`` — then even the right password waits — and the dashboard's login form says so
in Indonesian. Every attempt is on the security log."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import Session

from counter_app.hub import store
from counter_app.hub.app import create_hub_app
from tests.support.databases import fresh_pg_database

if TYPE_CHECKING:
    from starlette.testclient import TestClient

pytestmark = [pytest.mark.postgres]
PASSWORD = "hub-login-password-1"


@pytest.fixture
def hub() -> Iterator[TestClient]:
    with fresh_pg_database() as url:
        app = create_hub_app(url)
        with app.state.sessions.begin() as session:
            assert isinstance(session, Session)
            store.add_user(session, "pengawas", PASSWORD, store.REGIONAL_SUPERVISOR, "Cianjur")
        with warnings.catch_warnings():
            # Starlette asks for its fork ``httpx2``; plain httpx works the same here.
            warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
            from starlette.testclient import TestClient
        with TestClient(app) as client:
            yield client


def _login(hub: TestClient, password: str) -> tuple[int, dict[str, object], str | None]:
    answer = hub.post("/hub/v1/login", json={"username": "pengawas", "password": password})
    return answer.status_code, answer.json(), answer.headers.get("retry-after")


def test_guessing_a_password_is_throttled_then_even_the_right_one_waits(
    hub: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="counter_app.security")
    assert _login(hub, PASSWORD)[0] == 200  # a right password first: nothing held against it
    statuses = [_login(hub, f"wrong-{n}")[0] for n in range(8)]
    assert statuses[:5] == [401] * 5  # the first mistakes cost nothing
    assert 429 in statuses
    status, body, retry_after = _login(hub, PASSWORD)
    assert (status, body["error"]) == (429, "login_throttled")
    assert retry_after is not None and int(retry_after) >= 1
    assert int(str(body["retry_after"])) == int(retry_after)
    said = [r.getMessage() for r in caplog.records if r.name == "counter_app.security"]
    assert any(m.startswith("login ok user='pengawas'") for m in said)
    assert sum(m.startswith("login failed user='pengawas'") for m in said) >= 5
    assert any(m.startswith("login throttled user='pengawas'") for m in said)


def test_the_dashboard_login_form_says_when_to_try_again(hub: TestClient) -> None:
    for n in range(7):
        _login(hub, f"wrong-{n}")
    page = hub.get("/pusat/masuk")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token is not None
    form = {"username": "pengawas", "password": PASSWORD, "csrf_token": token.group(1)}
    answer = hub.post("/pusat/masuk", data=form, follow_redirects=False)
    assert answer.status_code == 429
    assert "Terlalu banyak percobaan masuk" in answer.text
    assert "hub_session" not in answer.headers.get("set-cookie", "")
