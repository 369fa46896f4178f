"""The real counter app, as a subprocess, watched only from the outside.

``counter-app demo`` runs the server and the counter window in one process (the window on
Qt's offscreen platform). The test adds no hook to the product; it looks at what the app does
to the server, through the API and the server's own access log:

- the app signed in as petugas1 and opened Loket 1 (the API says who holds the counter);
- its list is live and event-driven: after the first snapshot it opens the event stream, and
  ticket events (issued, called at another counter) cost it no request at all, while a set-up
  change, which its board cannot apply by itself, makes it fetch exactly one new snapshot;
  that can only happen if the app received and applied the events in order;
- SIGTERM ends it politely: the window closes the counter and logs out before the in-process
  server stops, so a server started afterwards on the same database finds Loket 1 closed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.app_process import DEMO_PASSWORD, DemoApp
from tests.e2e.processes import Client, ServerPool

WAIT = 30.0
WINDOWS = 5  # counter, TV display, kiosk, survey screen, supervisor: each follows live


def login(base_url: str, username: str) -> Client:
    anon = Client(base_url)
    r = anon.session.post(
        f"{anon.base}/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return Client(base_url, r.json()["token"])


def counter(client: Client, branch_id: int, number: int) -> dict[str, object]:
    r = client.get(f"/branches/{branch_id}/counters")
    assert r.status_code == 200, r.text
    found: dict[str, object] = next(c for c in r.json() if c["number"] == number)
    return found


@pytest.mark.slow
def test_the_demo_window_works_the_counter_live(tmp_path: Path, servers: ServerPool) -> None:
    db_url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    app = DemoApp(db_url, tmp_path).start()
    try:
        admin = login(app.url, "admin")
        branch_id = int(admin.get("/branches").json()[0]["id"])
        users = {u["username"]: u["id"] for u in admin.get("/users").json()}
        services = {
            s["prefix"]: s["id"] for s in admin.get(f"/branches/{branch_id}/services").json()
        }
        snapshot_path = f"/api/v1/branches/{branch_id}/snapshot"
        events_path = f"/api/v1/branches/{branch_id}/events"
        state_path = f"/api/v1/counters/{counter(admin, branch_id, 1)['id']}/state"

        # Signed in as petugas1 at Loket 1, with the first snapshot and the event stream; the
        # TV, kiosk and survey windows beside it have their own (four of each in all).
        app.wait_for(
            lambda: counter(admin, branch_id, 1)["officer_id"] == users["petugas1"],
            WAIT,
            "petugas1 to open Loket 1",
        )
        assert counter(admin, branch_id, 1)["state"] == "open"
        app.wait_for(lambda: app.requests_seen("GET", events_path) == WINDOWS, WAIT, "the streams")
        assert app.requests_seen("GET", snapshot_path) == WINDOWS

        # Ticket events: the app follows them without asking the server for anything.
        kiosk = Client(app.url, app.device_token("Kiosk lobi"))
        for _ in range(3):
            assert kiosk.post("/tickets", {"service_id": services["A"]}).status_code == 201
        other = login(app.url, "petugas2")
        loket2 = counter(admin, branch_id, 2)["id"]
        assert other.post(f"/counters/{loket2}/state", {"state": "open"}).status_code == 200
        called = other.post(f"/counters/{loket2}/call-next").json()["ticket"]
        assert called["number"] == "A-001"

        # A set-up change comes after them in the same stream: one new snapshot per window.
        new_service = {"branch_id": branch_id, "prefix": "E", "name": "Legalisir"}
        assert admin.post("/services", new_service).status_code == 201
        app.wait_for(
            lambda: app.requests_seen("GET", snapshot_path) == 2 * WINDOWS,
            WAIT,
            "the windows to resync",
        )
        assert app.requests_seen("GET", events_path) == WINDOWS  # the same streams throughout
        assert app.requests_seen("POST", state_path) == 1  # the opening

        # SIGTERM: the window closes the counter and logs out, then the server stops.
        assert app.terminate() == 0
        assert app.requests_seen("POST", state_path) == 2  # and the closing
        assert app.requests_seen("POST", "/api/v1/auth/logout") == 1
        assert app.alarms() == []
    finally:
        app.kill()

    after = servers.start(db_url, "after-demo")
    sup = login(after.url, "supervisor")
    loket1 = counter(sup, branch_id, 1)
    assert loket1["state"] == "closed"
    assert loket1["officer_id"] is None
    servers.assert_no_alarms()
