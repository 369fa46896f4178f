"""The simulation clock over HTTP: absent on a normal server, admin-only, forward-only, and
followed by everything that stamps time (tickets, the service day, the sweep, sessions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counter_app.server.sim_clock import SimulationClock
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.office import load_demo_office

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB


def test_a_normal_server_has_no_simulation_clock(db_url: str) -> None:
    load_demo_office(db_url)
    with run_server(db_url) as server:
        anon = Api(server.url)
        assert anon.get("/api/v1/health").json()["simulation"] is False
        admin = anon.login("admin")
        answer = admin.post("/api/v1/sim/clock", {"at": START.isoformat()})
        assert answer.status_code == 404
        assert answer.json()["error"] == "not_found"
        office = load_office_ids(admin)
        snapshot = admin.get(f"/api/v1/branches/{office}/snapshot").json()
        assert snapshot["simulation"] is False


def load_office_ids(api: Api) -> int:
    branches = api.get("/api/v1/branches").json()
    return int(branches[0]["id"])


def test_the_simulation_clock_moves_forward_for_an_admin_only(db_url: str) -> None:
    office = load_demo_office(db_url)
    clock = SimulationClock(START, speed=0)
    with run_server(db_url, simulation=clock) as server:
        anon = Api(server.url)
        assert anon.get("/api/v1/health").json()["simulation"] is True
        admin = anon.login("admin")
        officer = anon.login("petugas1")
        assert officer.post("/api/v1/sim/clock", {"at": START.isoformat()}).status_code == 403
        assert anon.post("/api/v1/sim/clock", {"speed": 0}).status_code == 401
        later = START + timedelta(hours=2, minutes=5)
        moved = admin.post("/api/v1/sim/clock", {"at": later.isoformat()})
        assert moved.status_code == 200, moved.text
        assert datetime.fromisoformat(moved.json()["at"]) == later
        back = admin.post("/api/v1/sim/clock", {"at": START.isoformat()})
        assert back.status_code == 409
        assert back.json()["error"] == "clock_backwards"
        assert admin.post("/api/v1/sim/clock", {"at": "2026-03-02T09:00:00"}).status_code == 422

        kiosk = anon.as_token(office.kiosk_token)
        ticket = kiosk.post("/api/v1/tickets", {"service_id": office.services["A"]}).json()
        assert datetime.fromisoformat(ticket["issued_at"]) == later
        assert ticket["service_day"] == "2026-03-02"
        snapshot = admin.get(f"/api/v1/branches/{office.branch_id}/snapshot").json()
        assert snapshot["simulation"] is True
        assert datetime.fromisoformat(snapshot["at"]) == later

        # The next morning: yesterday's open ticket is expired by the sweep, numbers restart.
        tomorrow = START + timedelta(days=1)
        swept = admin.post("/api/v1/sim/clock", {"at": tomorrow.isoformat(), "sweep": True})
        assert swept.json()["swept"] >= 1
        assert admin.get("/api/v1/auth/me").status_code == 401  # a day on: the session ended
        admin = anon.login("admin")
        assert admin.get(f"/api/v1/tickets/{ticket['id']}").json()["state"] == "expired"
        fresh = kiosk.post("/api/v1/tickets", {"service_id": office.services["A"]}).json()
        assert (fresh["service_day"], fresh["sequence"]) == ("2026-03-03", 1)
