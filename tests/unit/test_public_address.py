"""The address ticket QR codes hold: the LAN address, never one only this PC reaches."""

from __future__ import annotations

import ipaddress

import pytest

from counter_app.cli import public_url
from counter_app.config import Settings
from counter_app.netaddr import is_loopback_url, lan_base_url, lan_ipv4


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8750", True),
        ("http://127.8.9.1", True),
        ("http://localhost:8750/", True),
        ("http://[::1]:8750", True),
        ("", True),
        ("http://192.168.1.10:8750", False),
        ("https://antrean.dukcapil.example.id", False),
        ("http://10.0.0.5", False),
    ],
)
def test_loopback_addresses_are_recognised(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


def test_the_lan_address_is_never_loopback() -> None:
    address = lan_ipv4()
    if address is None:
        pytest.skip("this machine has no IPv4 network")
    ip = ipaddress.ip_address(address)
    assert ip.version == 4 and not ip.is_loopback and not ip.is_unspecified
    assert lan_base_url(8750) == f"http://{address}:8750"


def test_the_setting_wins_and_the_default_is_the_lan() -> None:
    chosen = Settings(public_url="http://antrean.local:8750", port=8750)
    assert public_url(chosen) == "http://antrean.local:8750"
    derived = public_url(Settings(port=8751))
    assert derived is None or (derived.endswith(":8751") and not is_loopback_url(derived))
