"""Who may do what, enforced by the server over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import requests

from tests.conftest import Running
from tests.support.http import Api
from tests.support.queue_ops import (
    act,
    call_next,
    expect_error,
    issue,
    journal_seq,
    ok,
    set_state,
    state_of,
)

PUBLIC_OPERATIONS = {
    "health",
    "login",
    "get_ticket_status",
    "ticket_status_stream",
    # Online booking: anyone, rate-limited (tests/integration/test_booking_api.py).
    "list_slots",
    "create_booking",
    "get_booking",
    "cancel_booking",
    # The satisfaction survey: anyone holding a finished ticket's code (test_reports_survey.py).
    "survey_form",
    "survey_status",
    "submit_survey",
    # A new station's pairing code is its proof; rate-limited (test_api_pairing.py).
    "claim_pairing_code",
}


def test_anonymous_gets_401_on_everything_but_health_login_and_public_status(
    in_process: Running,
) -> None:
    ticket = issue(in_process.kiosk, in_process.office.services["A"])
    spec = ok(in_process.anon.get("/openapi.json"))
    checked: list[str] = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if operation["operationId"] in PUBLIC_OPERATIONS:
                continue
            url = in_process.server.url + path.format(
                branch_id=in_process.office.branch_id,
                counter_id=in_process.office.counters[1],
                ticket_id=ticket["id"],
                service_id=in_process.office.services["A"],
                day="2026-12-25",
                user_id=1,
                device_id=1,
            )
            response = in_process.anon.session.request(
                method.upper(),
                url,
                json={},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
            body = expect_error(response, 401, "not_authenticated")
            assert response.headers["WWW-Authenticate"] == "Bearer", body
            checked.append(operation["operationId"])
    assert {
        "issue_ticket",
        "call_next",
        "queue_snapshot",
        "event_stream",
        "get_ticket",
        "check_in_booking",
        "set_service_booking",
        "create_holiday",
        "delete_holiday",
        "list_devices",
        "revoke_device",
        "rotate_device_token",
        "create_pairing_code",
    } <= set(checked)

    assert ok(in_process.anon.get("/api/v1/health"))["status"] == "ok"
    status = ok(in_process.anon.get(f"/api/v1/public/tickets/{ticket['code']}"))
    assert (status["number"], status["state"], status["ahead"]) == ("A-001", "waiting", 0)
    assert "id" not in status and "officer_id" not in status
    # Nothing above changed anything: one issued ticket, still waiting.
    viewer = in_process.display
    assert state_of(viewer, ticket["id"]) == "waiting"


def test_kiosk_token_can_only_issue_tickets(in_process: Running) -> None:
    kiosk = in_process.kiosk
    office = in_process.office
    counter1 = office.counters[1]
    viewer = in_process.display
    issued = issue(kiosk, office.services["A"])
    assert (issued["number"], issued["source"]) == ("A-001", "kiosk")
    before = journal_seq(viewer, office.branch_id)

    refused = [
        kiosk.post(f"/api/v1/counters/{counter1}/call-next"),
        kiosk.post(f"/api/v1/counters/{counter1}/call", {"number": "A-001"}),
        kiosk.post(f"/api/v1/counters/{counter1}/state", {"state": "open"}),
        kiosk.post(
            f"/api/v1/tickets/{issued['id']}/transfer", {"service_id": office.services["B"]}
        ),
        kiosk.post(f"/api/v1/tickets/{issued['id']}/cancel"),
        kiosk.post(
            "/api/v1/services", {"branch_id": office.branch_id, "prefix": "E", "name": "Lain"}
        ),
        kiosk.post(
            "/api/v1/counters",
            {"branch_id": office.branch_id, "number": 9, "service_ids": [office.services["A"]]},
        ),
        kiosk.post(
            "/api/v1/users",
            {
                "username": "kiosk_made",
                "role": "officer",
                "branch_id": office.branch_id,
                "password": "long-enough-1",
            },
        ),
        kiosk.post(
            "/api/v1/devices", {"branch_id": office.branch_id, "kind": "kiosk", "name": "Lain"}
        ),
    ]
    for response in refused:
        expect_error(response, 403, "forbidden")
    assert journal_seq(viewer, office.branch_id) == before
    assert state_of(viewer, issued["id"]) == "waiting"


def test_display_token_reads_but_cannot_act(running: Running) -> None:
    display = running.display
    office = running.office
    issued = issue(running.kiosk, office.services["B"])

    snap = ok(display.get(f"/api/v1/branches/{office.branch_id}/snapshot"))
    assert [t["number"] for t in snap["services"][1]["waiting"]] == ["B-001"]
    with requests.get(
        f"{running.server.url}/api/v1/branches/{office.branch_id}/events",
        headers={"Authorization": f"Bearer {office.display_token}"},
        stream=True,
        timeout=(5, 5),
    ) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")

    counter3 = office.counters[3]
    expect_error(
        display.post("/api/v1/tickets", {"service_id": office.services["A"]}), 403, "forbidden"
    )
    expect_error(display.post(f"/api/v1/counters/{counter3}/call-next"), 403, "forbidden")
    expect_error(
        display.post(f"/api/v1/counters/{counter3}/state", {"state": "open"}), 403, "forbidden"
    )
    expect_error(display.post(f"/api/v1/tickets/{issued['id']}/cancel"), 403, "forbidden")
    expect_error(display.post(f"/api/v1/tickets/{issued['id']}/finish"), 403, "forbidden")
    assert state_of(display, issued["id"]) == "waiting"
    assert waiting_count(running) == 1


def waiting_count(running: Running) -> int:
    snap = ok(running.display.get(f"/api/v1/branches/{running.office.branch_id}/snapshot"))
    return sum(q["waiting_count"] for q in snap["services"])


def test_officer_acts_only_for_the_counter_they_opened(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    petugas2 = in_process.login("petugas2")
    counter1, counter2 = office.counters[1], office.counters[2]
    first = issue(in_process.kiosk, office.services["A"])
    second = issue(in_process.kiosk, office.services["A"])

    set_state(petugas1, counter1, "open")
    # Counter 2 is closed, and even once open it is not petugas1's.
    expect_error(petugas1.post(f"/api/v1/counters/{counter2}/call-next"), 403, "not_your_counter")
    set_state(petugas2, counter2, "open")
    expect_error(petugas1.post(f"/api/v1/counters/{counter2}/call-next"), 403, "not_your_counter")
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter2}/state", {"state": "closed"}),
        403,
        "not_your_counter",
    )
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter2}/call", {"number": "A-002"}),
        403,
        "not_your_counter",
    )

    called = call_next(petugas1, counter1)
    assert called is not None and called["id"] == first["id"]
    # petugas2 may not touch a ticket at counter 1, nor one still waiting in the queue.
    for action in ("recall", "start", "finish", "skip", "return"):
        expect_error(
            petugas2.post(f"/api/v1/tickets/{first['id']}/{action}"), 403, "not_your_ticket"
        )
    expect_error(petugas1.post(f"/api/v1/tickets/{second['id']}/finish"), 403, "not_your_ticket")
    # Cancelling is for supervisors only, even for a waiting ticket.
    expect_error(petugas1.post(f"/api/v1/tickets/{second['id']}/cancel"), 403, "forbidden")
    viewer = in_process.display
    assert state_of(viewer, first["id"]) == "called"
    assert state_of(viewer, second["id"]) == "waiting"
    assert act(petugas1, first["id"], "start")["state"] == "serving"


def test_officer_opens_only_an_assigned_free_counter_and_only_one(in_process: Running) -> None:
    office = in_process.office
    admin = in_process.login("admin")
    petugas1 = in_process.login("petugas1")
    petugas2 = in_process.login("petugas2")
    counter1, counter2 = office.counters[1], office.counters[2]
    spare = ok(
        admin.post(
            "/api/v1/counters",
            {"branch_id": office.branch_id, "number": 5, "service_ids": [office.services["A"]]},
        ),
        201,
    )

    # petugas2 is assigned to counter 2 only: not counter 1 (petugas1's), not the new counter
    # 5 that nobody is assigned to.
    expect_error(
        petugas2.post(f"/api/v1/counters/{counter1}/state", {"state": "open"}),
        403,
        "counter_not_assigned",
    )
    expect_error(
        petugas2.post(f"/api/v1/counters/{spare['id']}/state", {"state": "open"}),
        403,
        "counter_not_assigned",
    )
    opened = set_state(petugas2, counter2, "open")
    assert (opened["state"], opened["officer_id"]) == ("open", user_id(petugas2))

    # Counter 2 is open under petugas2: petugas1 (also assigned to it) cannot take it over.
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter2}/state", {"state": "open"}), 409, "counter_taken"
    )
    set_state(petugas1, counter1, "open")
    # One counter per officer: petugas2 closes 2, but petugas1 still cannot hold two.
    set_state(petugas2, counter2, "closed")
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter2}/state", {"state": "open"}),
        409,
        "officer_has_counter",
    )
    counters = {c["id"]: c for c in ok(admin.get(f"/api/v1/branches/{office.branch_id}/counters"))}
    assert counters[counter1]["state"] == "open"
    assert counters[counter1]["officer_id"] == user_id(petugas1)
    assert (counters[counter2]["state"], counters[counter2]["officer_id"]) == ("closed", None)
    assert (counters[spare["id"]]["state"], counters[spare["id"]]["officer_id"]) == ("closed", None)


def user_id(api: Api) -> int:
    me = ok(api.get("/api/v1/auth/me"))
    return int(me["user"]["id"])


def test_officer_cannot_transfer_a_ticket_they_are_not_serving(in_process: Running) -> None:
    office = in_process.office
    petugas1 = in_process.login("petugas1")
    petugas2 = in_process.login("petugas2")
    viewer = in_process.display
    waiting = issue(in_process.kiosk, office.services["A"])
    at_two = issue(in_process.kiosk, office.services["A"])
    set_state(petugas1, office.counters[1], "open")
    set_state(petugas2, office.counters[2], "open")
    called = call_next(petugas1, office.counters[1])
    assert called is not None and called["id"] == waiting["id"]
    called2 = call_next(petugas2, office.counters[2])
    assert called2 is not None and called2["id"] == at_two["id"]
    act(petugas2, at_two["id"], "start")
    before = journal_seq(viewer, office.branch_id)

    target = {"service_id": office.services["C"]}
    expect_error(
        petugas1.post(f"/api/v1/tickets/{at_two['id']}/transfer", target), 403, "not_your_ticket"
    )
    expect_error(
        petugas2.post(f"/api/v1/tickets/{waiting['id']}/transfer", target), 403, "not_your_ticket"
    )
    assert journal_seq(viewer, office.branch_id) == before
    assert state_of(viewer, at_two["id"]) == "serving"
    moved = ok(petugas2.post(f"/api/v1/tickets/{at_two['id']}/transfer", target))
    assert (moved["number"], moved["service_id"], moved["state"]) == (
        "A-002",
        office.services["C"],
        "waiting",
    )


def test_supervisor_acts_on_any_counter_and_ticket(in_process: Running) -> None:
    office = in_process.office
    supervisor = in_process.login("supervisor")
    petugas1 = in_process.login("petugas1")
    counter1, counter3 = office.counters[1], office.counters[3]
    first = issue(in_process.kiosk, office.services["A"])
    second = issue(in_process.kiosk, office.services["A"])
    third = issue(in_process.kiosk, office.services["B"])

    set_state(petugas1, counter1, "open")
    # The supervisor calls at petugas1's counter and works the ticket through.
    called = call_next(supervisor, counter1)
    assert called is not None and called["id"] == first["id"]
    assert act(supervisor, first["id"], "recall")["call_count"] == 2
    assert act(supervisor, first["id"], "start")["state"] == "serving"
    assert act(supervisor, first["id"], "finish")["state"] == "done"
    # ... while petugas1 can go on with a ticket the supervisor called for their counter.
    called = call_next(supervisor, counter1)
    assert called is not None and called["id"] == second["id"]
    assert act(petugas1, second["id"], "skip")["state"] == "no_show"
    # The supervisor opens a counter nobody holds and serves there.
    opened = set_state(supervisor, counter3, "open")
    assert (opened["state"], opened["officer_id"]) == ("open", None)
    called = call_next(supervisor, counter3)
    assert called is not None and called["id"] == third["id"]
    moved = ok(supervisor.post(f"/api/v1/tickets/{third['id']}/transfer", {"counter_id": counter1}))
    assert moved["target_counter_id"] == counter1
    # ... and can close an officer's idle counter.
    assert set_state(supervisor, counter1, "closed")["officer_id"] is None
    late = issue(in_process.kiosk, office.services["D"])
    assert ok(supervisor.post(f"/api/v1/tickets/{late['id']}/cancel"))["state"] == "cancelled"


def test_only_admin_sets_up_the_office(in_process: Running) -> None:
    office = in_process.office
    admin = in_process.login("admin")
    others = [in_process.login("supervisor"), in_process.login("petugas1")]
    branch = office.branch_id
    bodies = {
        "/api/v1/services": {"branch_id": branch, "prefix": "E", "name": "Legalisir"},
        "/api/v1/counters": {
            "branch_id": branch,
            "number": 7,
            "service_ids": [office.services["A"]],
        },
        "/api/v1/users": {
            "username": "petugas9",
            "role": "officer",
            "branch_id": branch,
            "password": "long-enough-1",
            "counter_ids": [office.counters[1]],
        },
        "/api/v1/devices": {"branch_id": branch, "kind": "display", "name": "TV 2"},
    }
    before = journal_seq(admin, branch)
    for path, body in bodies.items():
        for api in others:
            expect_error(api.post(path, body), 403, "forbidden")
    assert journal_seq(admin, branch) == before

    service = ok(admin.post("/api/v1/services", bodies["/api/v1/services"]), 201)
    assert (service["prefix"], service["name"], service["active"]) == ("E", "Legalisir", True)
    counter = ok(admin.post("/api/v1/counters", bodies["/api/v1/counters"]), 201)
    assert (counter["number"], counter["state"], counter["service_ids"]) == (
        7,
        "closed",
        [office.services["A"]],
    )
    user = ok(admin.post("/api/v1/users", bodies["/api/v1/users"]), 201)
    assert (user["username"], user["role"], user["counter_ids"]) == (
        "petugas9",
        "officer",
        [office.counters[1]],
    )
    device = ok(admin.post("/api/v1/devices", bodies["/api/v1/devices"]), 201)
    assert device["kind"] == "display" and len(device["token"]) >= 32
    # The new accounts work at once, with their own roles.
    ok(in_process.anon.login("petugas9", "long-enough-1").get("/api/v1/auth/me"))
    expect_error(
        in_process.anon.as_token(device["token"]).post(
            "/api/v1/tickets", {"service_id": service["id"]}
        ),
        403,
        "forbidden",
    )

    duplicate = dict(bodies["/api/v1/users"], full_name="Someone Else")
    expect_error(admin.post("/api/v1/users", duplicate), 409, "username_taken")
    usernames = [u["username"] for u in ok(admin.get("/api/v1/users"))]
    assert usernames.count("petugas9") == 1


def test_bad_or_ended_tokens_are_401(in_process: Running) -> None:
    url = f"{in_process.server.url}/api/v1/auth/me"
    cases = {
        "Basic YWRtaW46eA==": "bad_authorization",
        "Bearer": "bad_authorization",
        "Bearer    ": "bad_authorization",
        "Bearer not-a-token": "bad_token",
        "Bearer " + "x" * 4000: "bad_token",
        f"Token {in_process.office.kiosk_token}": "bad_authorization",
    }
    for header, code in cases.items():
        response = in_process.anon.session.get(url, headers={"Authorization": header})
        expect_error(response, 401, code)
        assert response.headers["WWW-Authenticate"] == "Bearer"

    petugas1 = in_process.login("petugas1")
    assert ok(petugas1.get("/api/v1/auth/me"))["user"]["username"] == "petugas1"
    assert petugas1.post("/api/v1/auth/logout").status_code == 204
    expect_error(petugas1.get("/api/v1/auth/me"), 401, "bad_token")
    expect_error(
        petugas1.post(f"/api/v1/counters/{in_process.office.counters[1]}/state", {"state": "open"}),
        401,
        "bad_token",
    )
    response = in_process.anon.session.post(
        f"{in_process.server.url}/api/v1/auth/login",
        json={"username": "petugas1", "password": "wrong-password"},
    )
    expect_error(response, 401, "bad_credentials")
