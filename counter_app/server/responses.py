"""JSON responses from bytes made once (orjson), which the idempotency store can replay as-is,
and the shape of every error answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from pydantic import BaseModel, Field
from starlette.responses import Response

from counter_app.core.error_codes import ErrorCode


class JsonResponse(Response):
    media_type = "application/json"

    @classmethod
    def of(
        cls, content: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> JsonResponse:
        return cls(dump(content), status_code=status, headers=headers)


def dump(content: Any) -> bytes:
    if isinstance(content, BaseModel):
        content = content.model_dump(mode="json")
    elif isinstance(content, list):
        content = [c.model_dump(mode="json") if isinstance(c, BaseModel) else c for c in content]
    return orjson.dumps(content)


class ErrorBody(BaseModel):
    """The body of every error answer (server/errors.py builds it; the OpenAPI document
    declares it for each error status a route can answer)."""

    error: ErrorCode = Field(description="The stable machine code; branch on this.")
    message: str = Field(description="What went wrong, in English, for operators and logs.")
    details: dict[str, Any] | list[dict[str, Any]] | None = Field(
        default=None,
        description="Facts about this failure (e.g. the fields that failed validation); "
        "absent when there are none.",
    )
