"""The address block kept with a booking: IPv4 /24, IPv6 /64, never the address itself."""

from __future__ import annotations

import pytest

from counter_app.store.booking.caps import address_block


@pytest.mark.parametrize(
    ("host", "block"),
    [
        ("10.1.2.3", "10.1.2.0/24"),
        ("203.0.113.255", "203.0.113.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.9", "192.0.2.0/24"),  # an IPv4 client on a dual-stack socket
        ("::1", "::/64"),
        ("testclient", None),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_address_block(host: str | None, block: str | None) -> None:
    assert address_block(host) == block
