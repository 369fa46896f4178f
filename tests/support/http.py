"""A tiny HTTP helper for API tests (plain requests; the product client has its own tests)."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from tests.support.office import PASSWORD


class Api:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.session = requests.Session()
        self.token = token

    def headers(self, key: str | None = None) -> dict[str, str]:
        out = {}
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        if key:
            out["Idempotency-Key"] = key
        return out

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base + path, headers=self.headers(), timeout=30, **kw)

    def post(
        self, path: str, json: Any = None, key: str | None = None, **kw: Any
    ) -> requests.Response:
        return self.session.post(
            self.base + path,
            json=json,
            headers=self.headers(key or uuid.uuid4().hex),
            timeout=30,
            **kw,
        )

    def put(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        return self.session.put(
            self.base + path, json=json, headers=self.headers(uuid.uuid4().hex), timeout=30, **kw
        )

    def login(self, username: str, password: str = PASSWORD) -> Api:
        r = self.session.post(
            self.base + "/api/v1/auth/login",
            json={"username": username, "password": password},
            timeout=30,
        )
        r.raise_for_status()
        return Api(self.base, r.json()["token"])

    def as_token(self, token: str) -> Api:
        return Api(self.base, token)
