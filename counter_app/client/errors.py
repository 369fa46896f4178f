"""What a call to the server can fail with, as three kinds a window can act on.

- :class:`ApiError`: the server answered and said no (wrong state, not allowed, bad input).
  Show ``message`` to the user; branch on ``code``. Retrying the same request will not help.
- :class:`ServerUnavailable`: the server (or a proxy in front of it) kept answering
  502/503/504 through every retry. A kind of :class:`ApiError`, since it did answer.
- :class:`ConnectionLost`: no answer at all through every retry (refused, reset, timed out).

The last two mean "try again later"; a retry with the same idempotency key is always safe.
"""

from __future__ import annotations

import json
from typing import Any

from counter_app.core.error_codes import ErrorCode, parse_code


class ClientError(Exception):
    """Base of every error this package raises."""


class ApiError(ClientError):
    """The server refused a request: ``status`` is the HTTP status, ``code`` its stable code:
    an :class:`ErrorCode` when this version knows it, else the text as sent (a newer server's
    code, or ``http_<status>`` for an answer that was not the server's JSON). Both compare
    equal to the code's text."""

    def __init__(
        self, status: int, code: ErrorCode | str, message: str, details: Any = None
    ) -> None:
        parsed = parse_code(code)
        super().__init__(f"{status} {parsed}: {message}")
        self.status = status
        self.code: ErrorCode | str = parsed
        self.message = message
        self.details = details

    @classmethod
    def from_response(cls, status: int, body: bytes | str) -> ApiError:
        """Build from the server's ``{"error": code, "message": text}``, or from anything else
        a proxy may have sent instead (an HTML page, an empty body)."""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            message = data.get("message")
            return cls(
                status,
                data["error"],
                message if isinstance(message, str) else data["error"],
                data.get("details"),
            )
        snippet = " ".join(text.split())[:200]
        return cls(status, f"http_{status}", snippet or f"HTTP status {status}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {str(self.code)!r}, {self.message!r})"


class ServerUnavailable(ApiError):  # noqa: N818
    """The server answered 502, 503 or 504 to every attempt."""


class ConnectionLost(ClientError):  # noqa: N818
    """The server could not be reached (or did not answer in time) after every retry."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.message = message
        self.attempts = attempts


class CertificateChanged(ClientError):  # noqa: N818
    """The server at ``address`` presented another HTTPS certificate than the one this
    station pinned the first time (client/pinning.py). Nothing was sent to it. Either someone
    is between the station and the server, or the server's certificate was replaced: an
    administrator compares ``presented`` with ``counter-app tls fingerprint`` on the server
    and, if it is the server's, runs ``counter-app tls forget ADDRESS`` on this station."""

    def __init__(self, address: str, pinned: str, presented: str) -> None:
        super().__init__(
            f"The server at {address} presents a different certificate "
            f"(SHA-256 {presented}) than the one pinned ({pinned}); refused."
        )
        self.address = address
        self.pinned = pinned
        self.presented = presented
