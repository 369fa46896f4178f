"""The server's mDNS announcement is found by a station's browse — for real, over multicast
on the loopback interface (python-zeroconf bound to 127.0.0.1)."""

from __future__ import annotations

import socket
import time

import pytest

from counter_app.cli_devices import announce_in_background, start_announcing
from counter_app.client.discovery import FoundServer, browse, found_server
from counter_app.config import Settings
from counter_app.server.discovery import Announcement, Announcer, announce_addresses
from tests.conftest import OfficeTemplate
from tests.support.ports import free_port

LOOPBACK = ["127.0.0.1"]


def _multicast_on_loopback() -> bool:
    try:
        from zeroconf import Zeroconf

        Zeroconf(interfaces=LOOPBACK).close()
    except Exception:
        return False
    return True


needs_multicast = pytest.mark.skipif(
    not _multicast_on_loopback(), reason="no multicast on the loopback interface here"
)
# Real mDNS round trips take seconds: out of the quick loop (scripts/test.sh --quick).
pytestmark = pytest.mark.slow


@needs_multicast
def test_a_station_finds_the_announced_server_within_its_wait() -> None:
    announcement = Announcement(
        port=8750,
        https=True,
        fingerprint="AB:CD:EF",
        branches=["Disdukcapil Kota Contoh", "Kantor | Cabang"],
        addresses=LOOPBACK,
        instance=f"counter-app test {socket.gethostname()[:20]}",
    )
    announcer = Announcer(announcement, interfaces=LOOPBACK)
    assert announcer.start()
    try:
        found = browse(seconds=2.0, interfaces=LOOPBACK)
    finally:
        announcer.stop()
    mine = [s for s in found if s.name == announcement.instance]
    assert mine == [
        FoundServer(
            name=announcement.instance,
            url="https://127.0.0.1:8750",
            version=announcement.properties()["version"],
            branches=("Disdukcapil Kota Contoh", "Kantor / Cabang"),
            https=True,
            fingerprint="AB:CD:EF",
        )
    ]
    assert "Disdukcapil Kota Contoh" in mine[0].label


@needs_multicast
def test_a_withdrawn_server_is_not_found() -> None:
    announcer = Announcer(
        Announcement(8751, False, None, ["X"], LOOPBACK, instance="counter-app gone"),
        interfaces=LOOPBACK,
    )
    assert announcer.start()
    announcer.stop()
    assert all(s.name != "counter-app gone" for s in browse(seconds=1.0, interfaces=LOOPBACK))


def test_plain_http_announces_no_fingerprint_and_long_names_fit() -> None:
    props = Announcement(8750, False, "AB:CD", ["B" * 400], []).properties()
    assert props["https"] == "no" and "fp" not in props
    assert len(props["branches"].encode()) <= 200
    info = Announcement(8750, False, None, ["Kantor"], LOOPBACK, instance="x").service_info()
    server = found_server(info)
    assert server is not None and server.url == "http://127.0.0.1:8750"
    assert server.fingerprint is None and server.branches == ("Kantor",)


def test_which_addresses_are_announced() -> None:
    assert announce_addresses("0.0.0.0") == []  # all of this PC's LAN addresses
    assert announce_addresses("192.168.1.10") == ["192.168.1.10"]
    assert announce_addresses("kantor.local") == []


@needs_multicast
def test_the_server_command_announces_its_branches(sqlite_office_db: OfficeTemplate) -> None:
    settings = Settings(db_url=sqlite_office_db.url, host="127.0.0.1", port=free_port())
    announcer = start_announcing(settings, None)
    assert announcer is not None
    try:
        found = browse(seconds=2.0, interfaces=LOOPBACK)
    finally:
        announcer.stop()
    mine = [s for s in found if s.url == f"http://127.0.0.1:{settings.port}"]
    assert len(mine) == 1
    assert mine[0].branches == ("Disdukcapil Kota Contoh",)
    assert (mine[0].https, mine[0].fingerprint) == (False, None)


def test_announcing_can_be_turned_off(
    sqlite_office_db: OfficeTemplate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_APP_ANNOUNCE", "false")
    settings = Settings(db_url=sqlite_office_db.url)
    assert settings.announce is False
    assert start_announcing(settings, None) is None


@needs_multicast
def test_the_announcement_waits_for_the_server_and_never_holds_it_up(
    sqlite_office_db: OfficeTemplate,
) -> None:
    """`counter-app server` serves at once; the announcement (about 1.7 s of probing) starts
    on its own thread once the port accepts connections, so a station never finds a server
    that cannot answer yet (docs/PERFORMANCE.md, first answer after start)."""
    settings = Settings(db_url=sqlite_office_db.url, host="127.0.0.1", port=free_port())
    url = f"http://127.0.0.1:{settings.port}"
    started = time.monotonic()
    withdraw = announce_in_background(settings, None)
    try:
        assert time.monotonic() - started < 0.5
        assert url not in [s.url for s in browse(seconds=1.0, interfaces=LOOPBACK)]
        with socket.create_server(("127.0.0.1", settings.port)):  # the server now listens
            found: list[str] = []
            deadline = time.monotonic() + 15
            while not found and time.monotonic() < deadline:
                found = [s.url for s in browse(seconds=1.0, interfaces=LOOPBACK) if s.url == url]
            assert found == [url]
    finally:
        withdraw()
    assert url not in [s.url for s in browse(seconds=1.0, interfaces=LOOPBACK)]
