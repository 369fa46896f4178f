"""Base model for the wire: unknown fields in requests are an error, not silently dropped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Response(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorBody(Response):
    error: str
    message: str
    details: dict[str, object] | list[object] | None = None
