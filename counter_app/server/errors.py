"""One error shape for every failure: ``{"error": code, "message": text}``.

Domain errors carry their own code; validation, routing and unexpected failures are mapped
here, so a client never sees an HTML page or a bare 500 traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from counter_app.core.errors import AppError, ErrorKind
from counter_app.server.responses import JsonResponse

log = logging.getLogger(__name__)

STATUS_OF: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.UNAVAILABLE: 503,
}

_HTTP_CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("not_authenticated", "Please log in first."),
    403: ("forbidden", "You may not do this."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
    413: ("body_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send JSON (Content-Type: application/json)."),
}


def error_response(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if details:
        body["details"] = details
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JsonResponse.of(body, status, headers)


def app_error_response(exc: AppError) -> JsonResponse:
    return error_response(STATUS_OF[exc.kind], exc.code, exc.message, exc.details or None)


def _describe(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",))
        parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JsonResponse:
        return app_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JsonResponse:
        errors = list(exc.errors())
        code = (
            "malformed_json"
            if any(e.get("type") == "json_invalid" for e in errors)
            else "invalid_input"
        )
        details = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": e.get("type"),
            }
            for e in errors[:20]
        ]
        return error_response(422, code, f"Invalid input: {_describe(errors)}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JsonResponse:
        code, message = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        return error_response(exc.status_code, code, message)

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError) -> JsonResponse:
        # Two requests raced for the same unique thing; the loser changed nothing.
        log.info("integrity conflict: %s", exc.orig)
        return error_response(
            409, "conflict", "This conflicts with a change made at the same time; try again."
        )

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JsonResponse:
        log.error("database unavailable: %s", exc.orig)
        return error_response(
            503, "database_unavailable", "The database is not reachable; try again shortly."
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JsonResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(
            500, "internal_error", "Something went wrong on the server; it has been logged."
        )
