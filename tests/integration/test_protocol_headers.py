"""Protective headers on every answer, the API docs served from the package only where
enabled, form posts limited before their CSRF check, and X-Forwarded-For believed only from
the configured proxies."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.support.http import serve_in_process
from tests.support.live_server import run_server


def assert_protected(response: requests.Response) -> None:
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"], headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]


def test_pages_json_and_errors_carry_the_security_headers(in_process: Running) -> None:
    anon = in_process.anon
    assert_protected(anon.get("/api/v1/health"))
    assert_protected(anon.get("/api/v1/no-such-thing"))
    assert_protected(anon.get("/openapi.json"))
    page = anon.get("/pesan")
    assert page.status_code == 200
    assert_protected(page)
    policy = page.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and "script-src 'self' 'nonce-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_api_docs_are_off_unless_enabled_and_load_nothing_from_a_cdn(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    url = sqlite_copy(sqlite_office_template, tmp_path)
    with serve_in_process(url) as (_server, anon):
        assert anon.get("/docs").status_code == 404
        assert anon.get("/redoc").status_code == 404
    with serve_in_process(url, api_docs=True) as (_server, anon):
        docs = anon.get("/docs")
        assert docs.status_code == 200
        assert "/docs/assets/swagger-ui-bundle.js" in docs.text
        assert "http://" not in docs.text and "https://" not in docs.text
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
            assert anon.get(f"/docs/assets/{asset}").status_code == 200
        assert_protected(docs)


def test_form_posts_with_a_bad_csrf_token_are_rate_limited(in_process: Running) -> None:
    anon = in_process.anon
    statuses = [
        anon.session.post(
            anon.base + f"/pesan/layanan/{in_process.office.services['A']}/2026-03-03",
            data={"csrf_token": "0" * 64, "slot": "2026-03-03T02:00:00+00:00"},
        ).status_code
        for _ in range(40)
    ]
    assert statuses[0] == 403
    assert 429 in statuses, statuses


def _limited_at(url: str, forwarded: list[str]) -> list[int]:
    return [
        requests.get(
            url + "/api/v1/public/tickets/ZZZZ9999",
            headers={"X-Forwarded-For": address},
            timeout=30,
        ).status_code
        for address in forwarded
    ]


def test_forwarded_for_is_believed_only_from_trusted_proxies(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    url = sqlite_copy(sqlite_office_template, tmp_path)
    spoofed = [f"203.0.113.{n}" for n in range(40)]
    # Loopback is a trusted proxy: each forwarded address has its own bucket.
    with run_server(url) as server:
        assert set(_limited_at(server.url, spoofed)) == {404}
    # Only another proxy is trusted: the header from loopback is ignored, one bucket.
    with run_server(url, trusted_proxies="192.0.2.7") as server:
        assert 429 in _limited_at(server.url, spoofed)
