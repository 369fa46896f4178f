"""Every request field of a type JSON cannot carry (a date, a time, an enumeration, a tuple)
opts out of strict mode, or a well-formed JSON request would be refused. A model added
without that is caught here, not by a citizen or a station in the field."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import pkgutil
import types
import typing

from pydantic.fields import FieldInfo

import counter_app.schemas
from counter_app.schemas.base import Request

NEEDS_LAX = (dt.date, dt.datetime, dt.time, enum.Enum, tuple)


def _request_models() -> list[type[Request]]:
    for module in pkgutil.iter_modules(counter_app.schemas.__path__):
        importlib.import_module(f"counter_app.schemas.{module.name}")
    found: list[type[Request]] = []
    pending = list(Request.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found


def _plain_types(annotation: object) -> list[object]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _plain_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _plain_types(arg)]
    return [origin or annotation]


def _is_lax(field: FieldInfo) -> bool:
    return any(getattr(item, "strict", None) is False for item in field.metadata)


def test_fields_json_cannot_type_take_their_text_or_value() -> None:
    models = _request_models()
    assert len(models) > 25
    offenders = [
        f"{model.__name__}.{name}"
        for model in models
        for name, field in model.model_fields.items()
        if any(
            isinstance(kind, type) and issubclass(kind, NEEDS_LAX)
            for kind in _plain_types(field.annotation)
        )
        and not _is_lax(field)
    ]
    assert offenders == []
