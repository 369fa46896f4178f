"""Bad input over HTTP: always the one JSON error shape with the right 4xx, never a 500, and
nothing changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import requests

from tests.conftest import Running
from tests.support.queue_ops import (
    act,
    call_next,
    expect_error,
    get_ticket,
    issue,
    journal_seq,
    ok,
    set_state,
    snapshot,
)

LIMIT = 64 * 1024


def raw_post(
    running: Running,
    path: str,
    data: bytes | Iterator[bytes],
    *,
    token: str | None = None,
    content_type: str | None = "application/json",
    key: str | None = None,
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token or running.office.kiosk_token}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    headers["Idempotency-Key"] = key if key is not None else uuid.uuid4().hex
    return requests.post(running.server.url + path, data=data, headers=headers, timeout=30)


def test_malformed_mistyped_and_unknown_fields_are_422(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    waiting = issue(running.kiosk, office.services["A"])
    seq = journal_seq(supervisor, office.branch_id)

    malformed = [b"{bad", b'{"service_id": 1', b'{"service_id": 1} x', b"{'service_id': 1}"]
    for data in malformed:
        body = expect_error(raw_post(running, "/api/v1/tickets", data), 422, "malformed_json")
        assert body["details"][0]["type"] == "json_invalid"
    invalid: dict[bytes, str] = {
        b"": "missing",
        b"{}": "missing",
        b"null": "model_attributes_type",
        b"[]": "model_attributes_type",
        b'"service_id"': "model_attributes_type",
        b'{"service_id": "abc"}': "int_type",
        b'{"service_id": 1.5}': "int_type",
        # Type confusion: nothing is coerced, a client bug never queues a real ticket.
        b'{"service_id": true}': "int_type",
        b'{"service_id": "1"}': "int_type",
        b'{"service_id": 1.0}': "int_type",
        b'{"service_id": 1, "source": 1}': "enum",
        b'{"service_id": 1, "source": true}': "enum",
        b'{"service_id": [1]}': "int_type",
        b'{"service_id": {"id": 1}}': "int_type",
        b'{"service_id": null}': "int_type",
        b'{"service_id": 1e400}': "int_type",
        b'{"service_id": 1, "counter_id": 2}': "extra_forbidden",
        b'{"service_id": 1, "source": "teleport"}': "enum",
        b'{"service_id": 1, "priority_class_id": "lansia"}': "int_type",
        b'{"service_id": 1, "priority_class_id": "2"}': "int_type",
    }
    for data, error_type in invalid.items():
        body = expect_error(raw_post(running, "/api/v1/tickets", data), 422, "invalid_input")
        assert [d["type"] for d in body["details"]] == [error_type], (data, body)
        assert body["message"].startswith("Invalid input: ")

    # The same on other routes: wrong shapes for a counter, a transfer, a call, a new user.
    admin = running.login("admin")
    counter1 = office.counters[1]
    cases: list[tuple[str, Any, str]] = [
        (f"/api/v1/counters/{counter1}/state", {"state": "sleeping"}, "enum"),
        (f"/api/v1/counters/{counter1}/state", {"state": "open", "reason": "x" * 201}, ""),
        (f"/api/v1/counters/{counter1}/state", {"state": "open", "officer_id": 1}, ""),
        (f"/api/v1/counters/{counter1}/call", {}, "value_error"),
        (f"/api/v1/counters/{counter1}/call", {"ticket_id": 1, "number": "A-001"}, ""),
        (f"/api/v1/counters/{counter1}/call-next", {"finish_current": "perhaps"}, ""),
        (f"/api/v1/tickets/{waiting['id']}/transfer", {}, "value_error"),
        (f"/api/v1/tickets/{waiting['id']}/transfer", {"service_id": 2, "counter_id": 2}, ""),
        (f"/api/v1/tickets/{waiting['id']}/transfer", {"service_id": 2, "note": 5}, ""),
        ("/api/v1/users", {"username": "x", "role": "king", "password": "long-enough"}, ""),
        ("/api/v1/users", {"username": "bad name", "role": "officer", "password": "x" * 8}, ""),
        ("/api/v1/users", {"username": "short", "role": "officer", "password": "short"}, ""),
        ("/api/v1/services", {"branch_id": office.branch_id, "prefix": "a1", "name": "X"}, ""),
        ("/api/v1/counters", {"branch_id": office.branch_id, "number": 8, "service_ids": []}, ""),
    ]
    for path, payload, error_type in cases:
        api = supervisor if path.count("/") > 3 else admin
        body = expect_error(api.post(path, payload), 422, "invalid_input")
        if error_type:
            assert body["details"][0]["type"] == error_type, (path, body)

    # The same strictness everywhere: flags are true/false, text is text, dates are ISO text.
    strict: list[tuple[str, Any]] = [
        (f"/api/v1/counters/{counter1}/call-next", {"finish_current": 1}),
        (f"/api/v1/counters/{counter1}/call-next", {"finish_current": "true"}),
        (f"/api/v1/counters/{counter1}/call", {"ticket_id": str(waiting["id"])}),
        (f"/api/v1/counters/{counter1}/call", {"number": 7}),
        (f"/api/v1/counters/{counter1}/state", {"state": "open", "reason": 5}),
        (f"/api/v1/tickets/{waiting['id']}/transfer", {"service_id": True}),
        (f"/api/v1/tickets/{waiting['id']}/transfer", {"service_id": 2.0}),
        ("/api/v1/counters", {"branch_id": office.branch_id, "number": 8, "service_ids": ["1"]}),
        ("/api/v1/counters", {"branch_id": str(office.branch_id), "number": 8, "service_ids": [1]}),
        (f"/api/v1/branches/{office.branch_id}/holidays", {"day": 20270101}),
        (f"/api/v1/branches/{office.branch_id}/holidays", {"day": True}),
        ("/api/v1/users", {"username": "x1", "role": "officer", "password": 12345678}),
    ]
    for path, payload in strict:
        api = supervisor if path.count("/") > 3 else admin
        body = expect_error(api.post(path, payload), 422, "invalid_input")
        assert body["message"].startswith("Invalid input: "), body

    # Bodies that are not even text (or nest too deep to read) are malformed JSON: the
    # documented 422, not a 400 or a 500.
    for data in (b'{"service_id": "\xff"}', b"\xff\xfe{}", b"[" * 5000 + b"]" * 5000):
        body = expect_error(raw_post(running, "/api/v1/tickets", data), 422, "malformed_json")
        assert "Traceback" not in body["message"]

    assert journal_seq(supervisor, office.branch_id) == seq
    assert get_ticket(supervisor, waiting["id"])["state"] == "waiting"
    assert issue(running.kiosk, office.services["A"])["number"] == "A-002"


def test_unknown_and_out_of_range_ids(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    admin = running.login("admin")
    petugas1 = running.login("petugas1")
    set_state(petugas1, office.counters[1], "open")
    waiting = issue(running.kiosk, office.services["A"])
    seq = journal_seq(supervisor, office.branch_id)
    kiosk = running.kiosk
    missing = 999_999

    expect_error(supervisor.get(f"/api/v1/tickets/{missing}"), 404, "ticket_not_found")
    expect_error(supervisor.post(f"/api/v1/tickets/{missing}/finish"), 404, "ticket_not_found")
    expect_error(
        supervisor.post(f"/api/v1/tickets/{missing}/transfer", {"service_id": 1}),
        404,
        "ticket_not_found",
    )
    expect_error(supervisor.post(f"/api/v1/counters/{missing}/call-next"), 404, "counter_not_found")
    expect_error(
        supervisor.post(f"/api/v1/counters/{missing}/state", {"state": "open"}),
        404,
        "counter_not_found",
    )
    expect_error(
        petugas1.post(f"/api/v1/counters/{office.counters[1]}/call", {"ticket_id": missing}),
        404,
        "ticket_not_found",
    )
    expect_error(kiosk.post("/api/v1/tickets", {"service_id": missing}), 404, "service_not_found")
    expect_error(
        kiosk.post(
            "/api/v1/tickets", {"service_id": office.services["A"], "priority_class_id": missing}
        ),
        404,
        "priority_class_not_found",
    )
    expect_error(
        supervisor.post(f"/api/v1/tickets/{waiting['id']}/transfer", {"counter_id": missing}),
        404,
        "counter_not_found",
    )
    expect_error(admin.get(f"/api/v1/branches/{missing}/snapshot"), 404, "branch_not_found")
    expect_error(admin.get(f"/api/v1/branches/{missing}/events"), 404, "branch_not_found")
    expect_error(supervisor.get(f"/api/v1/branches/{missing}/snapshot"), 403, "wrong_branch")
    expect_error(
        admin.post(
            "/api/v1/counters",
            {"branch_id": office.branch_id, "number": 9, "service_ids": [missing]},
        ),
        404,
        "service_not_found",
    )
    expect_error(
        admin.post(
            "/api/v1/users",
            {
                "username": "petugas9",
                "role": "officer",
                "branch_id": office.branch_id,
                "password": "long-enough-1",
                "counter_ids": [missing],
            },
        ),
        404,
        "counter_not_found",
    )
    expect_error(running.anon.get("/api/v1/public/tickets/ZZZZ9999"), 404, "ticket_not_found")
    expect_error(supervisor.get("/api/v1/no-such-thing"), 404, "not_found")
    wrong_method = supervisor.get(f"/api/v1/tickets/{waiting['id']}/finish")
    expect_error(wrong_method, 405, "method_not_allowed")
    assert wrong_method.headers["Allow"] == "POST"

    # Ids that cannot be ids: zero, negative, not a number, beyond the database's integers.
    huge = [2**31, 2**63, 10**30]
    for bad in ["0", "-1", "abc", "1.5", str(2**62 + 1), str(10**30)]:
        expect_error(supervisor.get(f"/api/v1/tickets/{bad}"), 422, "invalid_input")
        expect_error(supervisor.post(f"/api/v1/tickets/{bad}/start"), 422, "invalid_input")
    for bad in ["0", "-5", str(2**31), str(10**30)]:
        expect_error(supervisor.post(f"/api/v1/counters/{bad}/call-next"), 422, "invalid_input")
        expect_error(supervisor.get(f"/api/v1/branches/{bad}/snapshot"), 422, "invalid_input")
    for value in [0, -1, *huge]:
        expect_error(kiosk.post("/api/v1/tickets", {"service_id": value}), 422, "invalid_input")
        expect_error(
            kiosk.post(
                "/api/v1/tickets",
                {"service_id": office.services["A"], "priority_class_id": value},
            ),
            422,
            "invalid_input",
        )
        expect_error(
            supervisor.post(f"/api/v1/tickets/{waiting['id']}/transfer", {"counter_id": value}),
            422,
            "invalid_input",
        )
        expect_error(
            supervisor.post(f"/api/v1/tickets/{waiting['id']}/transfer", {"service_id": value}),
            422,
            "invalid_input",
        )
        expect_error(
            admin.post(
                "/api/v1/users",
                {
                    "username": "petugas9",
                    "role": "officer",
                    "branch_id": value,
                    "password": "long-enough-1",
                },
            ),
            422,
            "invalid_input",
        )
        expect_error(
            admin.post(
                "/api/v1/counters",
                {"branch_id": office.branch_id, "number": 9, "service_ids": [value]},
            ),
            422,
            "invalid_input",
        )
    for value in [0, -1, 2**62 + 1, 10**30]:
        expect_error(
            petugas1.post(f"/api/v1/counters/{office.counters[1]}/call", {"ticket_id": value}),
            422,
            "invalid_input",
        )

    assert journal_seq(supervisor, office.branch_id) == seq
    assert get_ticket(supervisor, waiting["id"])["state"] == "waiting"
    assert [u["username"] for u in ok(admin.get("/api/v1/users"))].count("petugas9") == 0


HOSTILE = [
    "'; DROP TABLE tickets; --",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    '" OR 1=1 --',
    "Antre 😀🇮🇩 · Ñandú · 中文 · مرحبا · ज़",
    "e\u0301\u200b\u202eRTL\u202c",
    "%s %(x)s {0} ${x} \\ \\\\",
]


def test_hostile_strings_are_stored_verbatim_and_nul_is_refused(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    admin = running.login("admin")
    petugas1 = running.login("petugas1")
    branch = office.branch_id

    for text in HOSTILE:
        got = ok(supervisor.put(f"/api/v1/branches/{branch}/running-text", {"text": text}))
        assert got["running_text"] == text
        assert snapshot(supervisor, branch)["branch"]["running_text"] == text
    ticket = issue(running.kiosk, office.services["A"])
    note = "😀" * 500  # the longest note allowed, in four-byte characters
    moved = act(
        supervisor, ticket["id"], "transfer", {"service_id": office.services["B"], "note": note}
    )
    assert get_ticket(supervisor, moved["id"])["note"] == note
    user = ok(
        admin.post(
            "/api/v1/users",
            {
                "username": "petugas9",
                "full_name": HOSTILE[1],
                "role": "officer",
                "branch_id": branch,
                "password": HOSTILE[0],
            },
        ),
        201,
    )
    assert user["full_name"] == HOSTILE[1]
    assert (
        ok(running.anon.login("petugas9", HOSTILE[0]).get("/api/v1/auth/me"))["user"]["full_name"]
        == HOSTILE[1]
    )
    set_state(petugas1, office.counters[1], "open")
    reason = ok(
        petugas1.post(
            f"/api/v1/counters/{office.counters[1]}/state",
            {"state": "break", "reason": HOSTILE[3]},
        )
    )["break_reason"]
    assert reason == HOSTILE[3]
    set_state(petugas1, office.counters[1], "open")

    # Injection-shaped identifiers fail their format check instead of reaching the database.
    login = running.anon.session.post(
        f"{running.server.url}/api/v1/auth/login",
        json={"username": "admin' OR '1'='1", "password": "x' OR '1'='1"},
        timeout=10,
    )
    expect_error(login, 422, "invalid_input")
    for number in ("A' OR 1=1--", "😀", "A-" + "9" * 7):
        expect_error(
            petugas1.post(f"/api/v1/counters/{office.counters[1]}/call", {"number": number}),
            422,
            "bad_ticket_number",
        )
    for code in ("%27%20OR%201%3D1%20--", "%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80"):
        expect_error(running.anon.get(f"/api/v1/public/tickets/{code}"), 422, "invalid_input")

    # NUL cannot be stored by PostgreSQL: refused as invalid input on every backend.
    seq = journal_seq(supervisor, branch)
    waiting = issue(running.kiosk, office.services["C"])
    nul_cases: list[tuple[str, str, Any]] = [
        ("put", f"/api/v1/branches/{branch}/running-text", {"text": "a\x00b"}),
        (
            "post",
            f"/api/v1/tickets/{waiting['id']}/transfer",
            {"service_id": office.services["D"], "note": "\x00"},
        ),
        (
            "post",
            f"/api/v1/counters/{office.counters[1]}/state",
            {"state": "break", "reason": "\x00"},
        ),
        ("post", f"/api/v1/counters/{office.counters[1]}/call", {"number": "A-001\x00"}),
    ]
    for method, path, payload in nul_cases:
        api = supervisor if method == "put" or "transfer" in path else petugas1
        response = api.put(path, payload) if method == "put" else api.post(path, payload)
        body = expect_error(response, 422, "invalid_input")
        assert "NUL" in body["message"]
    expect_error(
        admin.post(
            "/api/v1/users",
            {
                "username": "petugas8",
                "full_name": "Budi\x00",
                "role": "officer",
                "branch_id": branch,
                "password": "long-enough-1",
            },
        ),
        422,
        "invalid_input",
    )
    assert journal_seq(supervisor, branch) == seq + 1  # only the issue of C-001
    assert get_ticket(supervisor, waiting["id"])["state"] == "waiting"
    assert snapshot(supervisor, branch)["branch"]["running_text"] == HOSTILE[-1]
    counter = ok(supervisor.get(f"/api/v1/branches/{branch}/counters"))[0]
    assert (counter["state"], counter["break_reason"]) == ("open", "")


def test_body_size_limit_is_413(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    seq = journal_seq(supervisor, office.branch_id)

    def body_of(size: int) -> bytes:
        head = b'{"service_id": %d, "pad": "' % office.services["A"]
        data = head + b"x" * (size - len(head) - 2) + b'"}'
        assert len(data) == size
        return data

    # At the limit the body is read (and refused for its unknown field); one byte more is not.
    at_limit = expect_error(
        raw_post(running, "/api/v1/tickets", body_of(LIMIT)), 422, "invalid_input"
    )
    assert at_limit["details"][0]["type"] == "extra_forbidden"
    over = expect_error(
        raw_post(running, "/api/v1/tickets", body_of(LIMIT + 1)), 413, "body_too_large"
    )
    assert str(LIMIT) in over["message"]
    expect_error(raw_post(running, "/api/v1/tickets", body_of(1_000_000)), 413, "body_too_large")

    # Without Content-Length (chunked upload), the limit holds while reading.
    big = body_of(LIMIT * 2)
    chunks = iter([big[i : i + 8192] for i in range(0, len(big), 8192)])
    expect_error(raw_post(running, "/api/v1/tickets", chunks), 413, "body_too_large")
    # Before authentication too: an anonymous caller cannot make the server read megabytes.
    response = requests.post(
        running.server.url + "/api/v1/tickets",
        data=body_of(LIMIT + 1),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    expect_error(response, 413, "body_too_large")

    assert journal_seq(supervisor, office.branch_id) == seq
    assert issue(running.kiosk, office.services["A"])["number"] == "A-001"


def test_wrong_content_type_and_bad_headers(running: Running) -> None:
    office = running.office
    supervisor = running.login("supervisor")
    branch = office.branch_id
    seq = journal_seq(supervisor, branch)
    payload = b'{"service_id": %d}' % office.services["A"]

    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        None,
    ):
        response = raw_post(running, "/api/v1/tickets", payload, content_type=content_type)
        body = expect_error(response, 422, "invalid_input")
        assert body["details"][0]["type"] == "model_attributes_type"

    for key in ("k" * 101, "", "a\tb"):
        response = raw_post(running, "/api/v1/tickets", payload, key=key)
        expect_error(response, 422, "bad_idempotency_key")
    non_ascii = requests.post(
        running.server.url + "/api/v1/tickets",
        data=payload,
        headers={
            "Authorization": f"Bearer {office.kiosk_token}",
            "Content-Type": "application/json",
            "Idempotency-Key": "kunci-é".encode(),
        },
        timeout=30,
    )
    expect_error(non_ascii, 422, "bad_idempotency_key")
    assert journal_seq(supervisor, branch) == seq

    token = running.office.display_token
    for value in ("abc", "-1", "1.5", "0x10", "9" * 30, str(2**63)):
        response = requests.get(
            f"{running.server.url}/api/v1/branches/{branch}/events",
            headers={"Authorization": f"Bearer {token}", "Last-Event-ID": value},
            timeout=10,
        )
        expect_error(response, 422, "bad_last_event_id")
    for value in ("-1", "abc", str(2**63)):
        response = requests.get(
            f"{running.server.url}/api/v1/branches/{branch}/events",
            params={"after": value},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        expect_error(response, 422, "invalid_input")

    # The longest key allowed and a charset parameter are fine.
    response = raw_post(
        running,
        "/api/v1/tickets",
        payload,
        key="k" * 100,
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201 and response.json()["number"] == "A-001"
    petugas1 = running.login("petugas1")
    set_state(petugas1, office.counters[1], "open")
    called = call_next(petugas1, office.counters[1])
    assert called is not None and called["number"] == "A-001"
