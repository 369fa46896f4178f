"""Base model for the wire: unknown fields in requests are an error, not silently dropped,
and so is a value of the wrong JSON type (``true`` or ``"1"`` for a number)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Strict, field_validator


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _text_or(kind: type) -> Callable[[object], object]:
    """Accept ``kind`` itself (from Python callers) or text (from JSON); refuse numbers."""

    def check(value: object) -> object:
        if isinstance(value, str | kind) and not isinstance(value, bool):
            return value
        raise ValueError(f"expected {kind.__name__} as ISO 8601 text")

    return check


# JSON has no dates, times or enumerations: they come as text (or values), so these fields
# opt out of strict mode, where Python input must already be a date or a member.
IsoDate = Annotated[date, Strict(False), BeforeValidator(_text_or(date))]
IsoDatetime = Annotated[datetime, Strict(False), BeforeValidator(_text_or(datetime))]
AwareIsoDatetime = Annotated[AwareDatetime, Strict(False), BeforeValidator(_text_or(datetime))]
ByValue = Strict(False)  # on an enumeration field: its value, as JSON sends it
AsArray = Strict(False)  # on a tuple field: a JSON array


def exactly_one_of(*fields: str) -> dict[str, Any]:
    """The OpenAPI statement of a "give exactly one of" rule that a model validator enforces:
    its ``json_schema_extra``."""
    return {
        "oneOf": [
            {"required": [name], "properties": {name: {"not": {"type": "null"}}}} for name in fields
        ]
    }


class Request(BaseModel):
    """A request body, its types checked strictly: a number is a number (not ``true``,
    ``"1"`` or ``1.0``), text is text, a flag is ``true``/``false``, unknown fields are
    refused. Dates and times are ISO 8601 text, enumerations their values (``IsoDate``,
    ``ByValue`` ...), as JSON has no such types."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

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
