"""The command line: ``device pair|list|revoke|rotate`` on the database, and ``station
install`` writing (and removing) the XDG autostart entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.cli import main
from counter_app.config import Settings
from counter_app.schemas.devices import PairingClaimOut
from counter_app.server.app import open_database
from counter_app.store.auth import resolve
from counter_app.store.models import AuthToken, Device
from counter_app.store.pairing import claim_code
from tests.conftest import OfficeTemplate

REPO = Path(__file__).resolve().parents[2]


def _claim(url: str, code: str) -> PairingClaimOut:
    db = open_database(Settings(db_url=url))
    try:
        with db.write() as session:
            return claim_code(session, code, datetime.now(UTC), None)[0]
    finally:
        db.dispose()


def _valid(url: str, token: str) -> bool:
    db = open_database(Settings(db_url=url))
    try:
        with db.read() as session:
            return resolve(session, token, datetime.now(UTC)) is not None
    finally:
        db.dispose()


def test_device_pair_list_rotate_revoke(
    sqlite_office_db: OfficeTemplate, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_office_db.url
    assert main(["device", "pair", "--kind", "survey", "--name", "Survei 1", "--db", url]) == 0
    out = capsys.readouterr().out
    code = re.search(r": ([A-Z0-9]{4}-[A-Z0-9]{4})", out)
    assert code is not None, out
    claimed = _claim(url, code.group(1))
    assert (claimed.device_name, claimed.kind.value) == ("Survei 1", "display")
    assert _valid(url, claimed.token)

    assert main(["device", "list", "--db", url]) == 0
    listing = capsys.readouterr().out
    assert "Survei 1" in listing and "Kiosk lobi" in listing and "never" in listing

    assert main(["device", "rotate", "Survei 1", "--expires-days", "7", "--db", url]) == 0
    rotated = capsys.readouterr().out
    new = re.search(r"\(shown once\): (\S+)", rotated)
    assert new is not None, rotated
    assert not _valid(url, claimed.token) and _valid(url, new.group(1))

    assert main(["device", "revoke", "survei 1", "--db", url]) == 0
    assert not _valid(url, new.group(1))
    db = open_database(Settings(db_url=url))
    try:
        with db.read() as session:
            device = session.scalars(select(Device).where(Device.name == "Survei 1")).one()
            assert device.active is False
            revoked = session.scalars(
                select(AuthToken.revoked).where(AuthToken.device_id == device.id)
            ).all()
            assert revoked and all(revoked)
    finally:
        db.dispose()
    capsys.readouterr()
    assert main(["device", "revoke", "nobody", "--db", url]) == 2
    assert "no device called 'nobody'" in capsys.readouterr().err


def test_station_install_writes_and_removes_the_autostart_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for role, sub in (
        ("kiosk", "kiosk"),
        ("display", "display"),
        ("survey", "survey-tablet"),
        ("counter", "counter"),
    ):
        assert main(["station", "install", "--role", role]) == 0
        entry = tmp_path / "autostart" / f"counter-app-{sub}.desktop"
        text = entry.read_text(encoding="utf-8")
        assert text.startswith("[Desktop Entry]\n")
        exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
        # The same command as the packaged desktop entry's (its program's full path here).
        packaged = (REPO / "installers" / "desktop" / f"counter-app-{sub}.desktop").read_text()
        packaged_exec = next(line for line in packaged.splitlines() if line.startswith("Exec="))
        assert exec_line.endswith(" " + packaged_exec.split()[-1])
        assert "Type=Application" in text and "Terminal=false" in text
    assert main(["station", "install", "--role", "kiosk", "--remove"]) == 0
    assert not (tmp_path / "autostart" / "counter-app-kiosk.desktop").exists()
    assert (tmp_path / "autostart" / "counter-app-display.desktop").exists()
    assert main(["station", "install", "--role", "kiosk", "--remove"]) == 0
    assert "did not start at login" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["station", "install", "--role", "toaster"])
