"""One error shape for every failure: ``{"error": code, "message": text, "details": ...}``.

Domain errors carry their own :class:`ErrorCode`; validation, routing and unexpected failures
are mapped to codes here, so a client never sees an HTML page or a bare 500 traceback. The
status always comes from the code's entry in :data:`ERRORS` (the framework's own 4xx keep
theirs when no code names them, as ``http_error``).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from counter_app.core.error_codes import ERRORS, ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.log_safe import printable
from counter_app.server.responses import JsonResponse

log = logging.getLogger(__name__)

# The framework's own refusals (routing, methods, body reading) as codes.
_HTTP_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.BODY_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}

# FastAPI's words when a JSON body cannot even be decoded (not UTF-8, or too deeply nested).
_UNREADABLE_BODY = "There was an error parsing the body"
_UNREADABLE_MESSAGE = "The request body is not valid JSON: it is not UTF-8 text or nests too deep."


def error_response(
    code: ErrorCode,
    message: str | None = None,
    details: Any = None,
    status: int | None = None,
) -> JsonResponse:
    """The JSON answer for ``code``: its status (unless ``status`` is given: a framework
    status no code names), its English text unless a more specific ``message`` is given."""
    spec = ERRORS[code]
    body: dict[str, Any] = {"error": code.value, "message": message or spec.text_en}
    if details:
        body["details"] = details
    status = int(spec.status) if status is None else status
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(details, dict) and isinstance(details.get("retry_after"), int):
        headers = {"Retry-After": str(details["retry_after"])}
    return JsonResponse.of(body, status, headers)


def app_error_response(exc: AppError) -> JsonResponse:
    return error_response(exc.code, exc.message, exc.details or None)


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
            ErrorCode.MALFORMED_JSON
            if any(e.get("type") == "json_invalid" for e in errors)
            else ErrorCode.INVALID_INPUT
        )
        details = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": e.get("type"),
            }
            for e in errors[:20]
        ]
        return error_response(code, f"Invalid input: {_describe(errors)}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JsonResponse:
        if exc.status_code == 400 and exc.detail == _UNREADABLE_BODY:
            # Not UTF-8, or nested too deep to parse: as unusable as broken JSON, and
            # answered the same documented way.
            return error_response(ErrorCode.MALFORMED_JSON, _UNREADABLE_MESSAGE)
        code = _HTTP_CODES.get(exc.status_code)
        if code is None:
            response = error_response(ErrorCode.HTTP_ERROR, str(exc.detail), status=exc.status_code)
        else:
            response = error_response(code)
        for name, value in (exc.headers or {}).items():
            response.headers.setdefault(name, value)  # a 405's Allow, for one
        return response

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError) -> JsonResponse:
        # Two requests raced for the same unique thing; the loser changed nothing.
        log.info("integrity conflict: %s", printable(exc.orig, limit=500))
        return error_response(
            ErrorCode.CONFLICT, "This conflicts with a change made at the same time; try again."
        )

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JsonResponse:
        log.error("database unavailable: %s", printable(exc.orig, limit=500))
        return error_response(ErrorCode.DATABASE_UNAVAILABLE)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JsonResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(ErrorCode.INTERNAL_ERROR)
