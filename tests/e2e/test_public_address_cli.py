"""``init`` names the address the ticket QR codes should hold: the LAN's, or the setting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counter_app.netaddr import lan_base_url
from tests.e2e.test_cli import cli

# Real processes for seconds each: out of the quick loop (scripts/test.sh --quick).
pytestmark = pytest.mark.slow


def test_init_names_the_public_address(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_APP_")}
    env = {**base, "COUNTER_APP_ADMIN_PASSWORD": "a-long-secret"}
    first = cli("init", "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", env=env)
    assert first.returncode == 0, first.stderr
    lan = lan_base_url(8750)
    line = next(x for x in first.stdout.splitlines() if x.startswith("public address"))
    assert "127.0.0.1" not in line
    assert (lan in line) if lan else "none found" in line
    env["COUNTER_APP_PUBLIC_URL"] = "http://antrean.local:8750"
    second = cli("init", "--db", f"sqlite:///{tmp_path / 'b.sqlite3'}", env=env)
    assert "for the ticket QR codes: http://antrean.local:8750" in second.stdout
