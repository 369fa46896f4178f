"""The technician's commands, run as a technician would: ``init``, ``setup``, ``--version``."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

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
