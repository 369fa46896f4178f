"""``counter-app training on|off [--counter N]``: the switch straight on the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from counter_app.cli import main
from counter_app.config import Settings
from counter_app.server.app import open_database
from counter_app.store.models import Branch, Counter
from tests.conftest import OfficeTemplate


def test_training_on_and_off_for_a_counter_and_the_branch(
    office_db: OfficeTemplate, capsys: pytest.CaptureFixture[str]
) -> None:
    url = office_db.url
    assert main(["training", "on", "--counter", "2", "--db", url]) == 0
    assert "counters training: 2" in capsys.readouterr().out
    db = open_database(Settings(db_url=url))
    try:
        with db.read() as session:
            trains = dict(session.execute(select(Counter.number, Counter.training)).all())
            assert trains[2] is True and trains[1] is False
        assert main(["training", "on", "--db", url]) == 0
        with db.read() as session:
            assert session.scalars(select(Branch.training)).all() == [True]
        assert main(["training", "off", "--db", url]) == 0
        assert "training off branch-wide; counters training: none" in capsys.readouterr().out
        with db.read() as session:
            assert not any(session.scalars(select(Counter.training)))
            assert session.scalars(select(Branch.training)).all() == [False]
    finally:
        db.dispose()
    # Bad input: a clear message, nothing changed.
    assert main(["training", "on", "--counter", "99", "--db", url]) == 2
    assert "no counter 99" in capsys.readouterr().err
    assert main(["training", "on", "--branch", "NOPE", "--db", url]) == 2
