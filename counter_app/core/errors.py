"""The one error type of the domain.

Every failure a user can cause carries a stable machine code (for clients and tests) and a
human message. The ``kind`` decides the HTTP status at the server edge; the domain itself
knows nothing of HTTP.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    INVALID = "invalid"  # 422: the input itself is wrong
    NOT_FOUND = "not_found"  # 404
    CONFLICT = "conflict"  # 409: the input is fine but the state does not allow it
    UNAUTHORIZED = "unauthorized"  # 401
    FORBIDDEN = "forbidden"  # 403
    TOO_LARGE = "too_large"  # 413
    RATE_LIMITED = "rate_limited"  # 429
    UNAVAILABLE = "unavailable"  # 503


class AppError(Exception):
    """A failure with a stable ``code`` and a human ``message``."""

    def __init__(
        self,
        kind: ErrorKind,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details or {}

    def __repr__(self) -> str:
        return f"AppError({self.kind}, {self.code!r}, {self.message!r})"


def not_found(what: str, ident: object) -> AppError:
    return AppError(ErrorKind.NOT_FOUND, f"{what}_not_found", f"No {what} with id {ident}.")


def conflict(code: str, message: str, **details: Any) -> AppError:
    return AppError(ErrorKind.CONFLICT, code, message, details)


def invalid(code: str, message: str, **details: Any) -> AppError:
    return AppError(ErrorKind.INVALID, code, message, details)


def forbidden(message: str, code: str = "forbidden") -> AppError:
    return AppError(ErrorKind.FORBIDDEN, code, message)
