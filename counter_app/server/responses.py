"""JSON responses from bytes made once (orjson), which the idempotency store can replay as-is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import Response


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
