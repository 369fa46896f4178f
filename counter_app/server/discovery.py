"""The server announces itself on the office LAN with mDNS/DNS-SD (``_counter-app._tcp``), so
a new station lists it instead of someone typing an address (client/discovery.py browses).

TXT properties: ``version``, ``branches`` (names, ``|``-separated, cut to fit a TXT string),
``https`` (``yes``/``no``), ``fp`` (the certificate's SHA-256 fingerprint with HTTPS) and
``path`` (``/``). Nothing secret: anyone on the LAN may see that a queue server is there.
python-zeroconf is imported only when announcing, so the server runs (and its tests pass)
where multicast is impossible: a failure to announce is logged, never fatal."""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter_app import __version__

if TYPE_CHECKING:
    from zeroconf import ServiceInfo, Zeroconf

log = logging.getLogger(__name__)

SERVICE_TYPE = "_counter-app._tcp.local."
MAX_TXT_VALUE = 200  # a TXT string holds 255 bytes with its key


@dataclass(frozen=True)
class Announcement:
    port: int
    https: bool
    fingerprint: str | None
    branches: list[str]
    addresses: list[str]  # IPv4/IPv6 text; empty: this PC's LAN addresses
    instance: str = ""  # default: "counter-app on <host name>"

    def properties(self) -> dict[str, str]:
        props = {
            "version": __version__,
            "branches": _fit("|".join(b.replace("|", "/") for b in self.branches)),
            "https": "yes" if self.https else "no",
            "path": "/",
        }
        if self.https and self.fingerprint:
            props["fp"] = self.fingerprint
        return props

    def service_info(self) -> ServiceInfo:
        from zeroconf import ServiceInfo

        host = socket.gethostname().split(".")[0] or "server"
        instance = (self.instance or f"counter-app on {host}")[:63]
        addresses = self.addresses or _lan_addresses()
        return ServiceInfo(
            SERVICE_TYPE,
            f"{instance}.{SERVICE_TYPE}",
            port=self.port,
            properties=self.properties(),
            parsed_addresses=addresses,
            server=f"{_label(host)}.local.",
        )


def _fit(text: str) -> str:
    data = text.encode("utf-8")[:MAX_TXT_VALUE]
    return data.decode("utf-8", errors="ignore")


def _label(host: str) -> str:
    cleaned = "".join(c if c.isalnum() or c == "-" else "-" for c in host)
    return cleaned.strip("-")[:63] or "counter-app"


def _lan_addresses() -> list[str]:
    from counter_app.server.tls import lan_addresses

    found = [a for a in lan_addresses() if not a.is_loopback]
    return [str(a) for a in found] or ["127.0.0.1"]


def announce_addresses(host: str) -> list[str]:
    """The addresses to announce for a server bound to ``host``: those of the LAN for a
    wildcard, else ``host`` itself (a server on 127.0.0.1 is announced on loopback only)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return []
    return [] if address.is_unspecified else [str(address)]


class Announcer:
    """Registers the service at :meth:`start` and withdraws it at :meth:`stop`."""

    def __init__(self, announcement: Announcement, interfaces: list[str] | None = None) -> None:
        self.announcement = announcement
        self.interfaces = interfaces
        self._zeroconf: Zeroconf | None = None
        self._info: ServiceInfo | None = None

    def start(self) -> bool:
        """``True`` if announced; ``False`` (logged) if zeroconf or multicast is missing."""
        try:
            from zeroconf import InterfaceChoice, Zeroconf

            zc = Zeroconf(interfaces=self.interfaces if self.interfaces else InterfaceChoice.All)
            info = self.announcement.service_info()
            zc.register_service(info, allow_name_change=True)
        except Exception as exc:  # announcing is a convenience, never fatal
            log.warning("cannot announce the server on the LAN (mDNS): %s", exc)
            return False
        self._zeroconf, self._info = zc, info
        log.info("announced on the LAN as %r (mDNS %s)", info.name, SERVICE_TYPE)
        return True

    def stop(self) -> None:
        zc, info = self._zeroconf, self._info
        self._zeroconf = self._info = None
        if zc is None:
            return
        try:
            if info is not None:
                zc.unregister_service(info)
        finally:
            zc.close()
