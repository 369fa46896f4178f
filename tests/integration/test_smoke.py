"""The basic loop over HTTP on both backends: issue, open, call, serve, finish."""

from __future__ import annotations

from tests.conftest import Running


def test_issue_call_serve_finish(running: Running) -> None:
    kiosk = running.kiosk
    officer = running.login("petugas1")
    service_a = running.office.services["A"]
    counter1 = running.office.counters[1]

    issued = kiosk.post("/api/v1/tickets", {"service_id": service_a})
    assert issued.status_code == 201, issued.text
    assert issued.json()["number"] == "A-001"
    assert issued.json()["ahead"] == 0

    assert officer.post(f"/api/v1/counters/{counter1}/state", {"state": "open"}).status_code == 200
    called = officer.post(f"/api/v1/counters/{counter1}/call-next")
    assert called.status_code == 200, called.text
    ticket = called.json()["ticket"]
    assert ticket["number"] == "A-001" and ticket["state"] == "called"

    assert officer.post(f"/api/v1/tickets/{ticket['id']}/start").json()["state"] == "serving"
    assert officer.post(f"/api/v1/tickets/{ticket['id']}/finish").json()["state"] == "done"
    status = running.anon.get(f"/api/v1/public/tickets/{ticket['code']}")
    assert status.status_code == 200 and status.json()["state"] == "done"
