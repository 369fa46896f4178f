"""The technician's commands, run as a technician would: ``init``, ``setup``, ``--version``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from counter_app import __version__
from counter_app.store.auth import password_matches
from counter_app.store.models import Counter, Device, Service, User


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counter_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"counter-app {__version__}"


@pytest.mark.slow
def test_init_creates_one_admin_and_refuses_a_second(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    no_password = cli("init", "--db", url, env={"COUNTER_APP_ADMIN_PASSWORD": ""})
    assert no_password.returncode == 2
    assert "COUNTER_APP_ADMIN_PASSWORD" in no_password.stderr
    short = cli("init", "--db", url, env={"COUNTER_APP_ADMIN_PASSWORD": "short"})
    assert short.returncode == 2 and "8 characters" in short.stderr

    first = cli("init", "--db", url, env={"COUNTER_APP_ADMIN_PASSWORD": "a-long-secret"})
    assert first.returncode == 0, first.stderr
    again = cli("init", "--db", url, env={"COUNTER_APP_ADMIN_PASSWORD": "another-secret"})
    assert again.returncode == 2 and "already exists" in again.stderr

    engine = create_engine(url)
    with engine.connect() as conn:
        admins = conn.execute(select(User.username, User.role, User.password_hash)).all()
    engine.dispose()
    assert [(u, r) for u, r, _ in admins] == [("admin", "admin")]
    assert password_matches(admins[0][2], "a-long-secret")


@pytest.mark.slow
def test_setup_applies_a_file_once_and_again_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    office = tmp_path / "office.toml"
    office.write_text(
        resources.files("counter_app.resources").joinpath("demo_office.toml").read_text("utf-8"),
        encoding="utf-8",
    )
    env = {"COUNTER_APP_DEMO_PASSWORD": "setup-password-1"}
    first = cli("setup", str(office), "--db", url, env=env)
    assert first.returncode == 0, first.stderr
    assert "created  counter 4" in first.stdout
    assert first.stdout.count("device token for") == 2
    second = cli("setup", str(office), "--db", url, env=env)
    assert second.returncode == 0, second.stderr
    assert "created" not in second.stdout
    assert "device token" not in second.stdout

    engine = create_engine(url)
    with engine.connect() as conn:
        counts = [
            conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Service, Counter, User, Device)
        ]
    engine.dispose()
    assert counts == [4, 4, 5, 2]


def test_setup_reports_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    office = tmp_path / "office.toml"
    office.write_text('[[branch]]\ncode = "x"\nname = "X"\nunknown_key = 1\n', encoding="utf-8")
    result = cli("setup", str(office), "--db", f"sqlite:///{tmp_path / 'o.sqlite3'}")
    assert result.returncode == 2
    assert "unknown_key" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_demo_prints_the_booking_page_and_it_answers(tmp_path: Path) -> None:
    """``demo --headless`` names the citizens' booking page, and that address serves it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log_path = tmp_path / "demo.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_APP_")}
    env.update({"COUNTER_APP_DEMO_PASSWORD": "demo-password-1", "PYTHONUNBUFFERED": "1"})
    command = [sys.executable, "-m", "counter_app", "demo", "--headless", "--port", str(port)]
    command += ["--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "the demo did not answer in 60 s"
            try:
                if requests.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        lines = log_path.read_text().splitlines()
        booking = [line for line in lines if line.startswith("  booking:")]
        assert booking, "\n".join(lines)
        assert booking[0].split()[1] == f"{url}/pesan"
        page = requests.get(booking[0].split()[1], timeout=10)
        assert page.status_code == 200, page.text[:300]
        assert page.url.endswith("/pesan/demo")  # the one office taking bookings
        assert "Perekaman KTP-el" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
