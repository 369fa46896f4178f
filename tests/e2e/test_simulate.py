"""``counter-app simulate`` as a user runs it: a real server process on a simulation clock, a
simulated Puskesmas hour, a report whose figures the server's own records confirm. And the
simulation clock refused where it does not belong."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from counter_app.store.models import Ticket

# Real processes for seconds each: out of the quick loop (scripts/test.sh --quick).
pytestmark = pytest.mark.slow


REPORT_KEYS = {"run", "tickets", "waits", "service_times", "no_shows", "counters", "estimate"}
ESTIMATE_KEYS = {
    "mae_minutes",
    "naive_mae_minutes",
    "range_coverage",
    "median_abs_error_minutes",
    "share_within_5_minutes",
    "bias_minutes",
}


PASSWORD = "sim-e2e-password"
ENV = {
    "COUNTER_APP_DB_URL": "",
    "COUNTER_APP_SIM_PASSWORD": PASSWORD,
    "COUNTER_APP_ADMIN_PASSWORD": PASSWORD,
    "COUNTER_APP_BOOKING_CLIENT_PER_MINUTE": "100000",
    "COUNTER_APP_BOOKING_CLIENT_BURST": "100000",
    "COUNTER_APP_BOOKING_PER_BLOCK_PER_DAY": "100000",
}


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counter_app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **ENV},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_a_simulated_hour_issues_and_serves_real_tickets(tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    kept = tmp_path / "kept"
    result = cli(
        "simulate",
        "--profile",
        "puskesmas",
        "--days",
        "1",
        "--hours",
        "1",
        "--report",
        str(report_file),
        "--keep-db",
        str(kept),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "estimate: MAE" in result.stdout
    report = json.loads(report_file.read_text())
    assert set(report) >= REPORT_KEYS
    assert set(report["estimate"]) >= ESTIMATE_KEYS
    tickets = report["tickets"]
    assert tickets["issued"] > 10
    assert tickets["served"] > 10
    assert tickets["transferred"] > 0  # registration sends patients on to the rooms
    assert report["services"]["U"]["wait"]["count"] > 0  # and they are called there
    assert 0 <= report["estimate"]["range_coverage"] <= 1
    assert report["estimate"]["mae_minutes"] >= 0
    assert 0 < report["counters"]["utilisation"] <= 1
    # The server's own report (from its journal) counts what the simulator did.
    server = report["server_report"]
    assert server["issued"] == tickets["issued"]
    assert server["served"] == tickets["served"]
    assert server["transferred"] == tickets["transferred"]
    assert server["no_show"] == report["no_shows"]["walk_in"]
    # And the database the server wrote holds them, stamped on the simulated day.
    engine = create_engine(f"sqlite:///{kept / 'office.sim.sqlite3'}")
    try:
        with engine.connect() as conn:
            done = conn.scalar(
                select(func.count()).select_from(Ticket).where(Ticket.state == "done")
            )
            days = set(conn.scalars(select(Ticket.service_day).distinct()))
    finally:
        engine.dispose()
    assert done == tickets["served"]
    assert {str(d) for d in days} == {report["run"]["first_day"]}


def test_the_simulation_clock_is_refused_without_a_simulation_database(tmp_path: Path) -> None:
    real = f"sqlite:///{tmp_path / 'counter_app.sqlite3'}"
    refused = cli("server", "--db", real, "--simulation-clock", timeout=60)
    assert refused.returncode == 2
    assert "refuses this database" in refused.stderr
    assert not (tmp_path / "counter_app.sqlite3").exists()  # nothing was opened
    no_db = cli("server", "--simulation-clock", timeout=60)
    assert no_db.returncode == 2
    assert "needs --db" in no_db.stderr
    alone = cli("server", "--db", real, "--sim-speed", "10", timeout=60)
    assert alone.returncode == 2
    assert "need --simulation-clock" in alone.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            if requests.get(f"{url}/api/v1/health", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no server at {url} after {seconds} s")


def test_two_days_against_a_running_server_on_a_simulation_clock(tmp_path: Path) -> None:
    """The documented way with --server: the office file from the profile, `setup`, `init`,
    the server with --simulation-clock, then `simulate --server`. Two days: sessions expire and
    numbering restarts on the simulated clock."""
    office = cli("simulate", "--profile", "dukcapil", "--show-office")
    assert office.returncode == 0, office.stderr
    (tmp_path / "office.toml").write_text(office.stdout)
    db = f"sqlite:///{tmp_path / 'study.sim.sqlite3'}"
    assert cli("setup", str(tmp_path / "office.toml"), "--db", db).returncode == 0
    assert cli("init", "--db", db).returncode == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("wb")
    command = [sys.executable, "-m", "counter_app", "server", "--db", db, "--port", str(port)]
    command += ["--simulation-clock", "--sim-start", "2026-03-01T12:00:00+07:00"]
    server = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **ENV},
        start_new_session=True,
    )
    try:
        wait_for(url, server)
        report_file = tmp_path / "report.json"
        result = cli(
            "simulate", "--server", url, "--profile", "dukcapil", "--days", "2", "--hours", "1",
            "--report", str(report_file),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    report = json.loads(report_file.read_text())
    assert (report["run"]["first_day"], report["run"]["last_day"]) == ("2026-03-02", "2026-03-03")
    assert report["tickets"]["checked_in"] > 0  # bookings made online, checked in at the kiosk
    assert report["server_report"]["issued"] == report["tickets"]["issued"]
    assert report["server_report"]["served"] == report["tickets"]["served"]
    assert report["server_report"]["expired"] == 0
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_simulate_against_a_server_without_a_simulation_clock_says_so(tmp_path: Path) -> None:
    result = cli("simulate", "--profile", "dukcapil", "--server", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "could not" in result.stderr or "No answer" in result.stderr
    assert "Traceback" not in result.stderr
