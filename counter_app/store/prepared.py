"""Statements on the hot path, compiled once and run straight on the driver's cursor.

SQLAlchemy builds each statement's SQL once and caches it, but every execution through a
Session still costs 100–250 µs of Python (cache keys, execution contexts, result objects,
the unit of work) against 5–20 µs for SQLite to run the statement. Issuing a ticket is about
ten statements, so that overhead, not the database, capped a server process near 300
tickets a second.

``Prepared`` keeps what SQLAlchemy is good at (one Core statement, rendered correctly for
each dialect, with each column type's conversions) and drops the per-execution machinery:
the statement is compiled once per dialect, literal values and type conversions are worked
out once, and each run is one ``cursor.execute`` on the connection the session's
transaction already holds. Statements that are not on a hot path stay ordinary SQLAlchemy.

Limits, checked when compiling: no ``expanding`` IN parameters (build one statement per list
length instead), and bound names must not need escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect, event
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Form:
    """The statement as one dialect's driver takes it."""

    sql: str
    names: tuple[str, ...]  # parameter order (positional drivers) or keys (named ones)
    positional: bool
    defaults: Mapping[str, Any]  # literal values SQLAlchemy bound for us
    binders: Mapping[str, Callable[[Any], Any]]  # type conversions going in
    readers: tuple[Processor, ...]  # type conversions coming out, per result column


def _result_columns(statement: Any) -> Sequence[Any]:
    for attribute in ("selected_columns", "exported_columns"):
        columns = getattr(statement, attribute, None)
        if columns is not None:
            return list(columns)
    return []


def _compile(statement: ClauseElement, dialect: Dialect) -> _Form:
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    if getattr(compiled, "escaped_bind_names", None):
        raise ValueError("prepared statements need plain bound parameter names")
    if "POSTCOMPILE" in compiled.string:
        raise ValueError("prepared statements cannot take expanding IN parameters")
    binders: dict[str, Callable[[Any], Any]] = {}
    defaults: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            binders[name] = process
        if not bind.required:
            defaults[name] = bind.effective_value
    positional = compiled.positiontup is not None
    names = (
        tuple(compiled.positiontup or ())
        if positional
        else tuple(set(compiled.bind_names.values()))
    )
    readers = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in _result_columns(statement)
    )
    return _Form(compiled.string, names, positional, defaults, binders, readers)


_DRIVER = "prepared.driver"


@event.listens_for(Session, "after_transaction_end")
def _forget_driver(session: Session, _transaction: Any) -> None:
    # The next transaction may run on another pooled connection.
    session.info.pop(_DRIVER, None)


def _driver(session: Session) -> tuple[Dialect, Any]:
    """The dialect and the driver's connection of the session's transaction (kept on the
    session: asking the session each time cost more than some statements)."""
    found: tuple[Dialect, Any] | None = session.info.get(_DRIVER)
    if found is None:
        connection = session.connection()
        found = (connection.dialect, connection.connection.driver_connection)
        session.info[_DRIVER] = found
    return found


class Prepared:
    """One Core statement; ``rows``, ``first``, ``scalar`` and ``run`` execute it in the
    session's transaction with named parameters.

    ``statement`` is the statement, or a function of the dialect's name that builds it (for
    dialect-specific constructs such as ``INSERT … ON CONFLICT``)."""

    __slots__ = ("_build", "_forms")

    def __init__(self, statement: ClauseElement | Callable[[str], ClauseElement]) -> None:
        self._build: Callable[[str], ClauseElement] = (
            statement if callable(statement) else lambda _name: statement
        )
        self._forms: dict[str, _Form] = {}

    def _form(self, dialect: Dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            form = self._forms[dialect.name] = _compile(self._build(dialect.name), dialect)
        return form

    def _execute(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, _Form]:
        dialect, driver = _driver(session)
        form = self._form(dialect)
        values = {**form.defaults, **params} if form.defaults else params
        binders = form.binders
        converted = [
            binders[name](values[name]) if name in binders else values[name] for name in form.names
        ]
        cursor = driver.cursor()
        arguments = converted if form.positional else dict(zip(form.names, converted, strict=True))
        cursor.execute(form.sql, arguments)
        return cursor, form

    def rows(self, session: Session, **params: Any) -> list[tuple[Any, ...]]:
        cursor, form = self._execute(session, params)
        try:
            found = cursor.fetchall()
        finally:
            cursor.close()
        readers = form.readers
        if not any(readers):
            return [tuple(row) for row in found]
        return [
            tuple(
                reader(value) if reader is not None else value
                for reader, value in zip(readers, row, strict=True)
            )
            for row in found
        ]

    def first(self, session: Session, **params: Any) -> tuple[Any, ...] | None:
        found = self.rows(session, **params)
        return found[0] if found else None

    def scalar(self, session: Session, **params: Any) -> Any:
        row = self.first(session, **params)
        return row[0] if row is not None else None

    def run(self, session: Session, **params: Any) -> int:
        """Execute a statement that returns no rows; the number of rows it changed."""
        cursor, _form = self._execute(session, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()
