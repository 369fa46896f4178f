"""Make ``/openapi.json`` tell the truth about errors.

Every error answer is an :class:`ErrorBody` (server/errors.py), not FastAPI's own
validation shape. Each operation declares the error statuses it can answer, inferred from
what the route takes (a token, path or query parameters, a body, the public prefix) and
built from the statuses of :class:`ErrorCode`; each status's description lists the codes
sent with it. Operation ids are untouched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, APIRouter

from counter_app.core.error_codes import ERRORS, ErrorCode
from counter_app.server.context import current_actor, optional_actor, stream_actor, writer
from counter_app.server.responses import ErrorBody
from counter_app.store.idempotency import MAX_KEY_LENGTH

PUBLIC_PREFIX = "/api/v1/public"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ERROR_BODY_REF = {"$ref": "#/components/schemas/ErrorBody"}
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
# What the shape of a route does not show: a login's wrong password, a stream resumed past
# the journal's end, a station's pairing claims limited per address.
EXTRA_STATUSES: dict[str, frozenset[int]] = {
    "login": frozenset({401, 429}),
    "claim_pairing_code": frozenset({429}),
    "set_password": frozenset({429}),
    "event_stream": frozenset({409}),
}


IDEMPOTENCY_KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_KEY_LENGTH,
    "pattern": "^[ -~]+$",  # printable ASCII (store.idempotency.check_key)
    "description": "Retrying with the same key returns the first answer (24 h).",
}
# How a caller proves who it is: a bearer token in the Authorization header; only a GET
# event stream may carry it as ``access_token`` in the query (a browser's EventSource
# cannot set headers).
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "accessTokenQuery": {"type": "apiKey", "in": "query", "name": "access_token"},
}


STRICT_BODY = (
    'JSON with strict types: an integer is a JSON integer (`1.0`, `"1"` and `true` are '
    "refused), text is text, a flag is `true`/`false`; dates and times are ISO 8601 text; "
    "unknown fields are refused (422 `invalid_input`)."
)


def codes_with_status(status: int) -> list[ErrorCode]:
    return [code for code, spec in ERRORS.items() if spec.status == status]


def error_response(status: int) -> dict[str, Any]:
    """One OpenAPI response object: the ErrorBody schema, and the codes of this status."""
    codes = ", ".join(f"`{code.value}`" for code in codes_with_status(status))
    phrase = HTTPStatus(status).phrase
    return {
        "description": f"{phrase}. `error` is one of: {codes}.",
        "content": {"application/json": {"schema": ERROR_BODY_REF}},
    }


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)


def _security(route: APIRoute, method: str) -> list[dict[str, list[str]]] | None:
    calls = {dep.call for dep in _dependencies(route.dependant)}
    if not calls & {current_actor, optional_actor, stream_actor, writer}:
        return None
    ways: list[dict[str, list[str]]] = [{"bearer": []}]
    if stream_actor in calls and method == "GET":
        ways.append({"accessTokenQuery": []})
    if optional_actor in calls and not calls & {current_actor, stream_actor, writer}:
        ways.append({})  # anonymous too
    return ways


def _state_the_headers(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", ()):
        if parameter.get("in") == "header" and parameter.get("name") == "Idempotency-Key":
            parameter["schema"] = dict(IDEMPOTENCY_KEY_SCHEMA)


def error_statuses(route: APIRoute, method: str) -> list[int]:
    """The error statuses ``route`` can answer to ``method``, in order."""
    calls = {dep.call for dep in _dependencies(route.dependant)}
    takes_token = bool(calls & {current_actor, optional_actor, stream_actor, writer})
    public = route.path_format.startswith(PUBLIC_PREFIX)
    has_body = route.body_field is not None
    mutating = method in MUTATING
    has_params = bool(
        route.dependant.path_params or route.dependant.query_params or has_body
    ) or any(dep.path_params or dep.query_params for dep in _dependencies(route.dependant))
    statuses: set[int] = {503}  # the database can always be unreachable
    if takes_token:
        statuses |= {401, 403}
    if public and mutating:
        statuses.add(403)  # a booking's NIK or token that does not match
    if has_params:
        statuses |= {404, 422}
    if mutating:
        statuses |= {409, 413, 422}  # the Idempotency-Key header is checked too
    if public:
        statuses.add(429)
    statuses |= EXTRA_STATUSES.get(route.operation_id or "", frozenset())
    return sorted(statuses)


def document(app: FastAPI, routers: Sequence[APIRouter]) -> dict[str, Any]:
    """The OpenAPI document with the error answers declared for the routes of ``routers``
    (built once, then cached)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    body_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(body_schema.pop("$defs", {}))
    schemas["ErrorBody"] = body_schema
    spec["components"]["securitySchemes"] = SECURITY_SCHEMES
    routes = [route for router in routers for route in router.routes]
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            operation = spec["paths"][route.path_format][method.lower()]
            responses = operation.setdefault("responses", {})
            for status in error_statuses(route, method):
                responses[str(status)] = error_response(status)
            security = _security(route, method)
            if security is not None:
                operation["security"] = security
            _state_the_headers(operation)
            if "requestBody" in operation:
                operation["requestBody"].setdefault("description", STRICT_BODY)
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    app.openapi_schema = spec
    return spec


def install(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Serve :func:`document` as ``/openapi.json``; ``routers``: those the app includes."""
    app.openapi = lambda: document(app, routers)  # type: ignore[method-assign]
