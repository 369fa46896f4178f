"""Short steps for API tests: issue, open, call, read back, and check the one error shape."""

from __future__ import annotations

from typing import Any

import requests

from tests.support.http import Api


def expect_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    """The response is ``{"error": code, "message": ...}`` as JSON with ``status``."""
    assert response.status_code == status, f"{response.status_code} {response.text[:500]}"
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"].strip(), body
    return body


def ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code} {response.text[:500]}"
    return response.json()


def issue(api: Api, service_id: int, **extra: Any) -> dict[str, Any]:
    ticket: dict[str, Any] = ok(
        api.post("/api/v1/tickets", {"service_id": service_id, **extra}), 201
    )
    return ticket


def set_state(api: Api, counter_id: int, state: str) -> dict[str, Any]:
    counter: dict[str, Any] = ok(api.post(f"/api/v1/counters/{counter_id}/state", {"state": state}))
    return counter


def call_next(api: Api, counter_id: int, **body: Any) -> dict[str, Any] | None:
    """The ticket called, or ``None`` when nobody waits."""
    answer = ok(api.post(f"/api/v1/counters/{counter_id}/call-next", body or None))
    ticket: dict[str, Any] | None = answer["ticket"]
    return ticket


def act(api: Api, ticket_id: int, action: str, body: Any = None) -> dict[str, Any]:
    ticket: dict[str, Any] = ok(api.post(f"/api/v1/tickets/{ticket_id}/{action}", body))
    return ticket


def get_ticket(api: Api, ticket_id: int) -> dict[str, Any]:
    ticket: dict[str, Any] = ok(api.get(f"/api/v1/tickets/{ticket_id}"))
    return ticket


def state_of(api: Api, ticket_id: int) -> str:
    return str(get_ticket(api, ticket_id)["state"])


def snapshot(api: Api, branch_id: int) -> dict[str, Any]:
    snap: dict[str, Any] = ok(api.get(f"/api/v1/branches/{branch_id}/snapshot"))
    return snap


def journal_seq(api: Api, branch_id: int) -> int:
    """The branch's last journal sequence: it moves by exactly one per state change."""
    return int(snapshot(api, branch_id)["seq"])


def waiting_numbers(api: Api, branch_id: int) -> dict[str, list[str]]:
    """Waiting ticket numbers per service prefix, in the snapshot's arrival order."""
    return {
        queue["service"]["prefix"]: [t["number"] for t in queue["waiting"]]
        for queue in snapshot(api, branch_id)["services"]
    }


def priority_class_ids(api: Api, branch_id: int) -> dict[str, int]:
    rows = ok(api.get(f"/api/v1/branches/{branch_id}/priority-classes"))
    return {row["code"]: int(row["id"]) for row in rows}
