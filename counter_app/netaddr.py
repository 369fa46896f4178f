"""This machine's address on the office LAN, and whether an address is one only it can reach.

The ticket's QR code must hold an address a citizen's phone reaches over the office Wi-Fi;
``127.0.0.1`` (the demo's and a fresh install's server address) reaches only the PC itself.
The LAN address is found without sending anything: connecting a UDP socket only picks the
route and the source address for it, no packet leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

# Any private address does: the kernel only looks up the route to it, nothing is sent.
ROUTE_PROBE = ("10.254.254.254", 9)


def lan_ipv4() -> str | None:
    """The primary non-loopback IPv4 address of this machine, or None without a network."""
    candidates: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(ROUTE_PROBE)  # UDP connect: no traffic, just the route's source
            candidates.append(str(probe.getsockname()[0]))
    except OSError:
        pass
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        candidates += [str(info[4][0]) for info in infos]
    except OSError:
        pass
    for address in candidates:
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
            return address
    return None


def is_loopback_url(url: str) -> bool:
    """Is ``url``'s host this machine only (localhost, 127.x.x.x, ::1) or missing?"""
    host = (urlsplit(url.strip()).hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: assume the office's DNS resolves it for phones


def lan_base_url(port: int) -> str | None:
    """``http://<LAN address>:<port>``, or None when this machine has no LAN address."""
    address = lan_ipv4()
    return f"http://{address}:{port}" if address else None
