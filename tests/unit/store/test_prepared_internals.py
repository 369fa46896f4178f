"""``store.prepared`` compiles statements with SQLAlchemy and then runs them itself, reading
parts of the compiled statement that are not public API (``bind_names``, ``positiontup``,
``escaped_bind_names``, the ``POSTCOMPILE`` marker, a bind's ``required`` and
``effective_value``). pyproject.toml keeps SQLAlchemy below its next minor version; these
tests say exactly what changed if a new version moves any of it, and check on a real SQLite
database that a prepared statement answers what SQLAlchemy itself answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Dialect, bindparam, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from counter_app.store.models import Base, Branch, BranchSequence, Service, Ticket
from counter_app.store.prepared import Prepared, _compile

CHANGED = "SQLAlchemy changed an internal that store/prepared.py reads: "
DIALECTS: dict[str, Dialect] = {
    "sqlite": sqlite.pysqlite.dialect(),
    "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
}

STATEMENT = select(Branch.id, Branch.name, Branch.priority_run).where(
    Branch.id == bindparam("id"), Branch.priority_run >= 2
)


def _compiled(dialect: Dialect) -> SQLCompiler:
    compiled = STATEMENT.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler), CHANGED + "compile() no longer gives an SQLCompiler"
    return compiled


@pytest.mark.parametrize("name", DIALECTS)
def test_the_compiled_statement_still_has_what_prepared_reads(name: str) -> None:
    dialect = DIALECTS[name]
    compiled = _compiled(dialect)
    for attribute in ("string", "bind_names", "positiontup", "escaped_bind_names"):
        assert hasattr(compiled, attribute), CHANGED + f"SQLCompiler.{attribute} is gone"
    assert isinstance(compiled.bind_names, dict), CHANGED + "bind_names is no longer a dict"
    names = set(compiled.bind_names.values())
    assert "id" in names, CHANGED + f"bind_names no longer maps binds to names: {names}"
    for bind in compiled.bind_names:
        for attribute in ("required", "effective_value", "type"):
            assert hasattr(bind, attribute), CHANGED + f"BindParameter.{attribute} is gone"
    literal = next(b for b, n in compiled.bind_names.items() if n != "id")
    assert not literal.required and literal.effective_value == 2, (
        CHANGED + "a literal's bind no longer carries its value (required/effective_value)"
    )
    idbind = next(b for b, n in compiled.bind_names.items() if n == "id")
    assert idbind.required, CHANGED + "a bindparam() without a value is no longer 'required'"


def test_sqlite_is_positional_and_psycopg_is_named() -> None:
    positional = _compiled(DIALECTS["sqlite"]).positiontup
    assert positional is not None and "id" in positional, (
        CHANGED + f"SQLite's positiontup no longer lists the parameters in order: {positional}"
    )
    assert _compiled(DIALECTS["postgresql"]).positiontup is None, (
        CHANGED + "psycopg's statements are no longer compiled with named parameters"
    )
    form = _compile(STATEMENT, DIALECTS["postgresql"])
    assert "%(id)s" in form.sql, CHANGED + f"psycopg's parameter style changed: {form.sql}"


@pytest.mark.parametrize("name", DIALECTS)
def test_an_expanding_in_is_still_refused(name: str) -> None:
    """Expanding IN lists are rendered at execution time, marked ``POSTCOMPILE`` in the
    compiled string; ``_compile`` refuses them by that marker."""
    statement = select(Branch.id).where(Branch.id.in_(bindparam("ids", expanding=True)))
    assert "POSTCOMPILE" in statement.compile(dialect=DIALECTS[name]).string, (
        CHANGED + "an expanding IN is no longer marked POSTCOMPILE"
    )
    with pytest.raises(ValueError, match="expanding"):
        _compile(statement, DIALECTS[name])


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = create_engine(f"sqlite:///{tmp_path / 'prepared.sqlite3'}")
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session, session.begin():
            yield session
    finally:
        engine.dispose()


def _branch(code: str, priority_run: int) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Kantor {code}",
        "timezone": "Asia/Jakarta",
        "opening_hours": {},
        "priority_run": priority_run,
    }


def test_prepared_answers_what_sqlalchemy_answers(session: Session) -> None:
    """Type conversions both ways (dates, booleans, UTC datetimes), literal values and
    parameters: the same rows through ``Prepared`` as through the session."""
    session.execute(insert(Branch), [_branch("a", 1), _branch("b", 3)])
    session.add(BranchSequence(branch_id=1, last_seq=0))
    session.add(Service(branch_id=1, prefix="A", name="Umum", position=0))
    session.flush()
    at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    session.add(
        Ticket(
            branch_id=1, service_id=1, service_day=date(2026, 3, 2), prefix="A", number=1,
            code="X", source="kiosk", priority=True, state="waiting", issued_at=at,
            enqueued_at=at,
        )
    )  # fmt: skip
    session.flush()

    cases: list[tuple[Any, dict[str, Any]]] = [
        (STATEMENT, {"id": 2}),
        (STATEMENT, {"id": 1}),
        (
            select(Ticket.service_day, Ticket.priority, Ticket.issued_at, Ticket.called_at).where(
                Ticket.code == bindparam("code"), Ticket.state == "waiting"
            ),
            {"code": "X"},
        ),
    ]
    for statement, params in cases:
        expected = [tuple(row) for row in session.execute(statement, params)]
        assert Prepared(statement).rows(session, **params) == expected
    ticket = Prepared(select(Ticket.issued_at, Ticket.service_day)).first(session)
    assert ticket == (at, date(2026, 3, 2))
    assert ticket is not None and ticket[0].tzinfo is UTC
