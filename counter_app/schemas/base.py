"""Base model for the wire: unknown fields in requests are an error, not silently dropped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL text cannot hold NUL and nobody types it: refuse it on every backend
        # alike as invalid input, instead of failing in the database.
        if _has_nul(value):
            raise ValueError("text cannot contain the NUL character")
        return value


class Response(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorBody(Response):
    error: str
    message: str
    details: dict[str, object] | list[object] | None = None
