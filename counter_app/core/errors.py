"""The one error type of the domain.

Every failure a user can cause carries a stable :class:`ErrorCode` (for clients and tests)
and a human message. The code decides the HTTP status (core/error_codes.py); ``kind`` names
the status's class for code that branches on it without speaking HTTP.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from counter_app.core.error_codes import ERRORS, ErrorCode


class ErrorKind(StrEnum):
    BAD_REQUEST = "bad_request"  # 400, 405, 415: the request could not be taken at all
    INVALID = "invalid"  # 422: the input itself is wrong
    NOT_FOUND = "not_found"  # 404
    CONFLICT = "conflict"  # 409: the input is fine but the state does not allow it
    UNAUTHORIZED = "unauthorized"  # 401
    FORBIDDEN = "forbidden"  # 403
    TOO_LARGE = "too_large"  # 413
    RATE_LIMITED = "rate_limited"  # 429
    INTERNAL = "internal"  # 500
    UNAVAILABLE = "unavailable"  # 503


KIND_OF_STATUS: dict[int, ErrorKind] = {
    400: ErrorKind.BAD_REQUEST,
    405: ErrorKind.BAD_REQUEST,
    415: ErrorKind.BAD_REQUEST,
    401: ErrorKind.UNAUTHORIZED,
    403: ErrorKind.FORBIDDEN,
    404: ErrorKind.NOT_FOUND,
    409: ErrorKind.CONFLICT,
    413: ErrorKind.TOO_LARGE,
    422: ErrorKind.INVALID,
    429: ErrorKind.RATE_LIMITED,
    500: ErrorKind.INTERNAL,
    503: ErrorKind.UNAVAILABLE,
}


class AppError(Exception):
    """A failure with a stable ``code`` and a human ``message`` (by default the code's
    English text)."""

    def __init__(
        self,
        code: ErrorCode,
        message: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        spec = ERRORS[code]
        text = spec.text_en if message is None else message
        super().__init__(text)
        self.code = code
        self.message = text
        self.details = details or {}
        self.status = int(spec.status)

    @property
    def kind(self) -> ErrorKind:
        return KIND_OF_STATUS[self.status]

    def __repr__(self) -> str:
        return f"AppError({self.code.value!r}, {self.message!r})"


def not_found(code: ErrorCode, ident: object) -> AppError:
    what = code.value.removesuffix("_not_found")
    return AppError(code, f"No {what} with id {ident}.")


def conflict(code: ErrorCode, message: str, **details: Any) -> AppError:
    return AppError(code, message, details)


def invalid(code: ErrorCode, message: str, **details: Any) -> AppError:
    return AppError(code, message, details)


def forbidden(message: str, code: ErrorCode = ErrorCode.FORBIDDEN) -> AppError:
    return AppError(code, message)
