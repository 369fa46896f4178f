"""The plain rows of the hot path (``store.rows``) mirror the ORM tables (``store.models``):
they are read and written by position, so a column renamed, retyped or added without the
row following would silently put values in the wrong fields."""

from __future__ import annotations

import types
from dataclasses import fields
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from sqlalchemy import inspect
from sqlalchemy.types import TypeDecorator

from counter_app.store.models import Branch, Counter, Service, Ticket
from counter_app.store.rows import BranchRow, CounterRow, ServiceRow, TicketRow

MIRRORS = [(TicketRow, Ticket), (CounterRow, Counter), (ServiceRow, Service), (BranchRow, Branch)]
NOT_COLUMNS = {"stored_state"}  # kept by the row for itself, never read or written


def _row_fields(row: type[Any]) -> list[str]:
    return [f.name for f in fields(row) if f.name not in NOT_COLUMNS]


def _python_type(column: Any) -> type[Any]:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # UtcDateTime: what it stores
        kind = kind.impl
    found: type[Any] = kind.python_type
    return found


def _split_optional(hint: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); ``X`` → (X, False)."""
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        assert len(args) == 1, f"{hint} is a union of several types"
        return args[0], True
    return hint, False


@pytest.mark.parametrize(("row", "model"), MIRRORS, ids=lambda x: x.__name__)
def test_each_field_is_a_column_of_the_same_type_and_nullability(
    row: type[Any], model: type[Any]
) -> None:
    columns = inspect(model).columns
    hints = get_type_hints(row)
    for name in _row_fields(row):
        assert name in columns, f"{row.__name__}.{name} is not a column of {model.__name__}"
        column = columns[name]
        kind, optional = _split_optional(hints[name])
        stored = _python_type(column)
        assert kind is stored, (
            f"{row.__name__}.{name} is {kind.__name__}, "
            f"but {model.__name__}.{name} holds {stored.__name__}"
        )
        assert optional == bool(column.nullable), (
            f"{row.__name__}.{name}: the column is "
            f"{'nullable' if column.nullable else 'NOT NULL'}, the field "
            f"{'allows' if optional else 'does not allow'} None"
        )


def test_a_ticket_row_is_the_whole_ticket_in_the_tables_order() -> None:
    """``insert_ticket`` writes every field of the row: a column the row lacks would be left
    to its default (or refused), so the row must be the whole table."""
    table_order = [c.name for c in Ticket.__table__.columns]
    assert _row_fields(TicketRow) == table_order


@pytest.mark.parametrize(("row", "model"), MIRRORS, ids=lambda x: x.__name__)
def test_fields_follow_the_tables_order(row: type[Any], model: type[Any]) -> None:
    table_order = [c.name for c in model.__table__.columns]
    mirrored = _row_fields(row)
    assert mirrored == [name for name in table_order if name in mirrored], (
        f"{row.__name__} lists its fields in another order than {model.__tablename__}"
    )
