"""``/openapi.json`` declares the real error body and each operation's error statuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from counter_app.config import Settings
from counter_app.core.error_codes import ERRORS, ErrorCode
from counter_app.server.app import create_app

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
# A sample of the operation ids clients code against (docs/API.md lists them all).
STABLE_IDS = {"login", "issue_ticket", "call_next", "event_stream", "create_booking", "health"}


def _document(tmp_path: Path) -> dict[str, Any]:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'openapi.db'}"), sweep=False)
    return app.openapi()


def test_every_error_answer_is_the_error_body_with_the_code_enumeration(tmp_path: Path) -> None:
    spec = _document(tmp_path)
    schemas = spec["components"]["schemas"]
    assert set(schemas["ErrorCode"]["enum"]) == {code.value for code in ErrorCode}
    assert schemas["ErrorBody"]["properties"]["error"]["$ref"].endswith("/ErrorCode")
    assert "HTTPValidationError" not in schemas  # the server never sends FastAPI's shape
    operations = [op for item in spec["paths"].values() for op in item.values()]
    assert {op["operationId"] for op in operations} >= STABLE_IDS
    for operation in operations:
        errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
        assert "503" in errors, operation["operationId"]
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == ERROR_BODY
            for code, spec_ in ERRORS.items():
                if int(spec_.status) == int(status):
                    assert f"`{code.value}`" in response["description"]


def test_each_operation_declares_what_it_can_answer(tmp_path: Path) -> None:
    spec = _document(tmp_path)
    by_id = {op["operationId"]: op for item in spec["paths"].values() for op in item.values()}

    def statuses(operation_id: str) -> set[str]:
        return {s for s in by_id[operation_id]["responses"] if int(s) >= 400}

    assert {"401", "403", "404", "409", "413", "422"} <= statuses("call_next")
    assert {"401", "422"} <= statuses("login")
    assert {"404", "409", "422", "429"} <= statuses("create_booking")
    assert "401" not in statuses("create_booking")
    assert "409" in statuses("event_stream")  # resume_point_ahead
    assert "429" in statuses("claim_pairing_code")  # claims are limited per address
    assert statuses("health") == {"503"}


def _operation(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for item in spec["paths"].values():
        for operation in item.values():
            if operation["operationId"] == operation_id:
                found: dict[str, Any] = operation
                return found
    raise AssertionError(operation_id)


def _body_schema(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    content = _operation(spec, operation_id)["requestBody"]["content"]["application/json"]
    name = content["schema"]["$ref"].rsplit("/", 1)[1]
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def test_what_the_server_enforces_is_stated(tmp_path: Path) -> None:
    spec = _document(tmp_path)
    # The Idempotency-Key header: printable ASCII, 1 to 100 characters.
    keyed = [
        p
        for p in _operation(spec, "issue_ticket")["parameters"]
        if p["in"] == "header" and p["name"] == "Idempotency-Key"
    ]
    assert keyed and keyed[0]["schema"]["pattern"] == "^[ -~]+$"
    assert keyed[0]["schema"]["maxLength"] == 100
    # "Give exactly one of": oneOf, each branch requiring its field.
    for operation_id, fields in {
        "call_ticket": {"ticket_id", "number"},
        "transfer_ticket": {"service_id", "counter_id"},
        "cancel_booking": {"nik", "cancel_token"},
    }.items():
        schema = _body_schema(spec, operation_id)
        assert {b["required"][0] for b in schema["oneOf"]} == fields, operation_id
    # A NIK's form.
    nik = _body_schema(spec, "create_booking")["properties"]["nik"]
    assert nik["pattern"].startswith("^")
    # Who may call: a bearer token; as a query parameter only on GET event streams.
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer"}
    assert _operation(spec, "issue_ticket")["security"] == [{"bearer": []}]
    assert {"accessTokenQuery": []} in _operation(spec, "event_stream")["security"]
    for item in spec["paths"].values():
        for method, operation in item.items():
            for way in operation.get("security", ()):
                if "accessTokenQuery" in way:
                    assert method == "get" and operation["operationId"].endswith("stream")
    assert "security" not in _operation(spec, "get_ticket_status")
