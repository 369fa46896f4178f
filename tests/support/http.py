"""A tiny HTTP helper for API tests (plain requests; the product client has its own tests).

Over real HTTP to a live server, or in process through Starlette's TestClient (httpx, the
app's lifespan run, no server thread or socket) for tests about the API's answers."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx
import requests

from counter_app.config import Settings
from counter_app.server.app import create_app
from counter_app.server.context import Clock, utc_now
from tests.support.live_server import LiveServer
from tests.support.office import PASSWORD

if TYPE_CHECKING:
    from starlette.testclient import TestClient

# What a call returns: requests' response over HTTP, httpx's in process (the same use here).
Response = requests.Response | httpx.Response


class Api:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        session: requests.Session | TestClient | None = None,
    ) -> None:
        """``session``: a TestClient to call the app in process (shared by derived ``Api``s)."""
        self.base = base_url.rstrip("/")
        self.session = session if session is not None else requests.Session()
        self.token = token
        # In process there is no network to wait on (TestClient refuses a timeout).
        self.bounded: dict[str, Any] = (
            {"timeout": 30} if isinstance(self.session, requests.Session) else {}
        )

    def headers(self, key: str | None = None) -> dict[str, str]:
        out = {}
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        if key:
            out["Idempotency-Key"] = key
        return out

    def derived(self, token: str | None) -> Api:
        """The same server with another token; in process it shares the one TestClient."""
        shared = None if isinstance(self.session, requests.Session) else self.session
        return Api(self.base, token, shared)

    def get(self, path: str, **kw: Any) -> Response:
        return self.session.get(self.base + path, headers=self.headers(), **self.bounded, **kw)

    def post(self, path: str, json: Any = None, key: str | None = None, **kw: Any) -> Response:
        return self.session.post(
            self.base + path,
            json=json,
            headers=self.headers(key or uuid.uuid4().hex),
            **self.bounded,
            **kw,
        )

    def put(self, path: str, json: Any = None, **kw: Any) -> Response:
        return self.session.put(
            self.base + path,
            json=json,
            headers=self.headers(uuid.uuid4().hex),
            **self.bounded,
            **kw,
        )

    def login(self, username: str, password: str = PASSWORD) -> Api:
        r = self.session.post(
            self.base + "/api/v1/auth/login",
            json={"username": username, "password": password},
            **self.bounded,
        )
        r.raise_for_status()
        return self.derived(r.json()["token"])

    def as_token(self, token: str) -> Api:
        return self.derived(token)


@contextmanager
def serve_in_process(
    db_url: str, *, clock: Clock = utc_now, **settings: object
) -> Iterator[tuple[LiveServer, Api]]:
    """The app on ``db_url`` called in process (Starlette's TestClient, its lifespan run: no
    server thread, no socket); an anonymous ``Api`` on it. Like ``run_server`` otherwise."""
    with warnings.catch_warnings():
        # Starlette asks for its fork ``httpx2``; plain httpx works the same here.
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient
    base = "http://testserver"
    config = Settings(db_url=db_url, **{"heartbeat_seconds": 1.0, **settings})  # type: ignore[arg-type]
    app = create_app(config, clock=clock, sweep=False)
    with TestClient(app, base_url=base, raise_server_exceptions=False) as client:
        yield LiveServer(url=base, app=app, settings=config), Api(base, session=client)
