"""Find counter-app servers on the office LAN (mDNS/DNS-SD ``_counter-app._tcp``, announced
by server/discovery.py): a station's first start lists them, so nobody types an address.

:func:`browse` waits a bounded time (2 s by default) and returns what answered; python-zeroconf
is imported only here, and a PC where multicast is impossible just finds nothing (logged)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zeroconf import ServiceInfo, Zeroconf

log = logging.getLogger(__name__)

SERVICE_TYPE = "_counter-app._tcp.local."
BROWSE_SECONDS = 2.0


@dataclass(frozen=True)
class FoundServer:
    name: str  # the announced instance, e.g. "counter-app on kantor-pc"
    url: str  # http(s)://address:port
    version: str
    branches: tuple[str, ...]
    https: bool
    fingerprint: str | None  # the certificate's SHA-256 (announced; confirmed at pairing)

    @property
    def label(self) -> str:
        where = ", ".join(self.branches) or self.name
        return f"{where} — {self.url}"


def found_server(info: ServiceInfo) -> FoundServer | None:
    """A :class:`FoundServer` from a resolved service, or ``None`` if it has no address."""
    addresses = info.parsed_scoped_addresses()
    if not addresses or info.port is None:
        return None
    props = {
        (k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k)): (
            v.decode("utf-8", "replace") if isinstance(v, bytes) else ""
        )
        for k, v in info.properties.items()
    }
    https = props.get("https") == "yes"
    ipv4 = [a for a in addresses if ":" not in a]
    host = ipv4[0] if ipv4 else f"[{addresses[0]}]"
    name = info.name.removesuffix("." + SERVICE_TYPE)
    branches = tuple(b for b in props.get("branches", "").split("|") if b)
    return FoundServer(
        name=name,
        url=f"{'https' if https else 'http'}://{host}:{info.port}",
        version=props.get("version", ""),
        branches=branches,
        https=https,
        fingerprint=props.get("fp") or None,
    )


class _Collector:
    """Resolves each service the browser reports, in the browser's thread."""

    def __init__(self) -> None:
        self.found: dict[str, FoundServer] = {}
        self.lock = threading.Lock()

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        info = zc.get_service_info(type_, name, timeout=1000)
        server = found_server(info) if info is not None else None
        if server is not None:
            with self.lock:
                self.found[name] = server

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.add_service(zc, type_, name)

    def remove_service(self, _zc: Zeroconf, _type: str, name: str) -> None:
        with self.lock:
            self.found.pop(name, None)


def browse(
    seconds: float = BROWSE_SECONDS, interfaces: list[str] | None = None
) -> list[FoundServer]:
    """The servers that answer within ``seconds``, sorted by label; ``[]`` when mDNS is
    impossible here (no zeroconf, no multicast)."""
    try:
        from zeroconf import InterfaceChoice, ServiceBrowser, Zeroconf

        zc = Zeroconf(interfaces=interfaces if interfaces else InterfaceChoice.All)
    except Exception as exc:  # finding servers is only a convenience
        log.warning("cannot look for servers on the LAN (mDNS): %s", exc)
        return []
    collector = _Collector()
    try:
        browser = ServiceBrowser(zc, SERVICE_TYPE, collector)  # type: ignore[arg-type]
        time.sleep(seconds)
        browser.cancel()
    finally:
        zc.close()
    with collector.lock:
        return sorted(collector.found.values(), key=lambda s: s.label)
