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
    assert statuses("health") == {"503"}
