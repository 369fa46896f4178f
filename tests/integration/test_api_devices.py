"""Device faults reach the journal and the live stream; the snapshot counts today's numbers."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import Running
from tests.support.queue_ops import expect_error, issue, ok
from tests.support.sse import EventStream

FAULT = "/api/v1/devices/fault"


def snapshot(running: Running) -> dict[str, object]:
    body: dict[str, object] = ok(
        running.kiosk.get(f"/api/v1/branches/{running.office.branch_id}/snapshot")
    )
    return body


def test_a_kiosk_fault_is_journaled_and_streamed(running: Running) -> None:
    seq = int(str(snapshot(running)["seq"]))
    with EventStream(
        running.server.url, running.office.branch_id, running.office.display_token, after=seq
    ) as stream:
        body = ok(running.kiosk.post(FAULT, {"kind": "printer", "message": "out of paper"}), 201)
        assert body["seq"] == seq + 1
        assert (body["kind"], body["message"]) == ("printer", "out of paper")
        assert (body["device_name"], body["device_kind"]) == ("Kiosk lobi", "kiosk")
        [event] = stream.events(1)
    assert event.id == seq + 1 and event.event == "device.fault"
    assert event.data is not None
    assert event.data["device_id"] == body["device_id"]
    assert event.data["ticket"] is None
    assert event.data["data"] == {
        "kind": "printer",
        "message": "out of paper",
        "device_name": "Kiosk lobi",
        "device_kind": "kiosk",
    }


def test_a_retried_report_is_journaled_once(running: Running) -> None:
    seq = int(str(snapshot(running)["seq"]))
    body = {"kind": "printer", "message": "offline"}
    first = running.kiosk.post(FAULT, body, key="fault-1")
    again = running.kiosk.post(FAULT, body, key="fault-1")
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert ok(first, 201) == ok(again, 201)
    assert snapshot(running)["seq"] == seq + 1


def test_only_devices_report_faults_and_bad_input_is_refused(running: Running) -> None:
    expect_error(
        running.anon.post(FAULT, {"kind": "printer", "message": "x"}), 401, "not_authenticated"
    )
    officer = running.login("petugas1")
    expect_error(officer.post(FAULT, {"kind": "printer", "message": "x"}), 403, "forbidden")
    for bad in (
        {"kind": "toaster", "message": "x"},
        {"kind": "printer", "message": ""},
        {"kind": "printer", "message": "x" * 501},
        {"kind": "printer"},
        {"kind": "printer", "message": "x", "extra": 1},
    ):
        expect_error(running.kiosk.post(FAULT, bad), 422, "invalid_input")
    display = running.anon.as_token(running.office.display_token)
    ok(display.post(FAULT, {"kind": "display", "message": "HDMI lost"}), 201)


def test_the_snapshot_counts_todays_numbers_per_service(running: Running) -> None:
    services = running.office.services
    issue(running.kiosk, services["A"])
    issue(running.kiosk, services["A"])
    issue(running.kiosk, services["B"])
    counted = {
        q["service"]["prefix"]: q["issued_today"]  # type: ignore[index]
        for q in snapshot(running)["services"]  # type: ignore[attr-defined]
    }
    assert counted == {"A": 2, "B": 1, "C": 0, "D": 0}


def test_a_fault_message_cannot_forge_log_lines(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    forged = "out of paper\n2026-03-02 08:00:00 INFO counter_app.server: admin signed in\x1b[2J"
    with caplog.at_level(logging.WARNING, logger="counter_app"):
        ok(running.kiosk.post(FAULT, {"kind": "printer", "message": forged}), 201)
    [record] = [r for r in caplog.records if "fault" in r.getMessage()]
    line = record.getMessage()
    assert "\n" not in line and "\x1b" not in line
    assert "out of paper\\n2026-03-02 08:00:00 INFO" in line
