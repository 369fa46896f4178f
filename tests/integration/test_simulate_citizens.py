"""``simulate --citizens-only --training``: the profile's walk-ins take training numbers at a
kiosk of a real (not simulated) server; nobody calls them but people."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.config import Settings
from counter_app.server.app import open_database
from counter_app.simulate.local_server import prepare_database
from counter_app.simulate.profile import load_profile
from counter_app.simulate.run import Options, SimulationError, simulate
from counter_app.store.models import Branch, Ticket
from tests.support.live_server import run_server

PASSWORD = "latihan-rahasia-123"


def test_citizens_only_issues_training_tickets_and_calls_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    prepare_database(url, load_profile("puskesmas"), PASSWORD)
    monkeypatch.setenv("COUNTER_APP_SIM_PASSWORD", PASSWORD)
    with run_server(url) as server:
        # Half an hour of the profile's morning, 1800 times faster than real time.
        options = Options(
            profile="puskesmas",
            server=server.url,
            hours=0.5,
            pace=1800,
            citizens_only=True,
            training=True,
            report=tmp_path / "citizens.json",
        )
        report = simulate(options)
    issued = sum(report["issued"].values())
    assert issued > 0 and report["training"] is True
    db = open_database(Settings(db_url=url))
    try:
        with db.read() as session:
            assert session.scalars(select(Branch.training)).all() == [True]
            tickets = session.execute(select(Ticket.training, Ticket.state)).all()
    finally:
        db.dispose()
    assert len(tickets) == issued
    assert all(training and state == "waiting" for training, state in tickets)
    assert (tmp_path / "citizens.json").exists()


def test_training_needs_citizens_only_and_citizens_only_a_server() -> None:
    with pytest.raises(SimulationError, match="--citizens-only"):
        simulate(Options(profile="puskesmas", training=True))
    with pytest.raises(SimulationError, match="--server"):
        simulate(Options(profile="puskesmas", citizens_only=True))
