"""Trust on first use for the server's HTTPS certificate.

An office LAN has no certificate authority, so the server usually presents a certificate it
made itself (server/tls.py) that no station can verify the usual way. Instead, the first time
a station reaches a server address over HTTPS it stores the SHA-256 fingerprint of the
certificate it was shown, per address (``host:port``), in the station's settings; every later
connection must show the same certificate or is refused with :class:`CertificateChanged`
(someone may be in the middle, or the server's certificate was replaced: an administrator
checks the fingerprint and, if it is right, runs ``counter-app tls forget ADDRESS``).

:class:`PinnedAdapter` is a ``requests`` transport adapter that does this with urllib3's own
``assert_fingerprint`` check, made during the TLS handshake before any request is sent, so a
password or token never reaches a server with the wrong certificate. Plain ``http://`` is
not touched (the adapter is mounted for ``https://`` only).
"""

from __future__ import annotations

import ssl
import threading
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from counter_app.client.errors import CertificateChanged
from counter_app.core.fingerprint import same_fingerprint, sha256_fingerprint

HANDSHAKE_TIMEOUT = 5.0


class PinStore(Protocol):
    """Where a station keeps the fingerprints it trusts, one per server address."""

    def pinned(self, address: str) -> str | None: ...

    def pin(self, address: str, fingerprint: str) -> None: ...

    def forget(self, address: str) -> None: ...


class MemoryPins:
    """Pins kept for this process only (tests; a process with no station settings)."""

    def __init__(self) -> None:
        self._pins: dict[str, str] = {}

    def pinned(self, address: str) -> str | None:
        return self._pins.get(address)

    def pin(self, address: str, fingerprint: str) -> None:
        self._pins[address] = fingerprint

    def forget(self, address: str) -> None:
        self._pins.pop(address, None)


_stores: list[PinStore] = [MemoryPins()]  # the current store is the one held here


def use_pin_store(store: PinStore) -> None:
    """Make ``store`` the station's pin store (the windows call this once at start with
    their settings); clients made afterwards use it."""
    _stores[0] = store


def pin_store() -> PinStore:
    return _stores[0]


def address_of(url: str) -> str:
    """``host:port`` of an ``https://`` URL (port 443 when not given), lower case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{parts.port or 443}"


def presented_fingerprint(url: str, timeout: float = HANDSHAKE_TIMEOUT) -> str:
    """The fingerprint of the certificate the server at ``url`` presents now (no request
    is sent: only a TLS handshake)."""
    parts = urlsplit(url)
    pem = ssl.get_server_certificate((parts.hostname or "", parts.port or 443), timeout=timeout)
    return sha256_fingerprint(ssl.PEM_cert_to_DER_cert(pem))


class PinnedAdapter(HTTPAdapter):
    """Accepts an HTTPS server only with the certificate pinned for its address; pins the
    first one seen."""

    def __init__(self, store: PinStore | None = None, **kwargs: Any) -> None:
        self.store = store or pin_store()
        self._lock = threading.Lock()
        super().__init__(**kwargs)

    def fingerprint_for(self, url: str) -> str:
        """The pinned fingerprint for ``url``'s address, pinning what it shows now if none."""
        address = address_of(url)
        with self._lock:
            pinned = self.store.pinned(address)
            if pinned is None:
                pinned = presented_fingerprint(url)
                self.store.pin(address, pinned)
            return pinned

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        url = request.url or ""
        if not url.lower().startswith("https://"):
            return super().send(request, **kwargs)
        try:
            pinned = self.fingerprint_for(url)
        except OSError as exc:
            raise requests.ConnectionError(f"TLS handshake with {url} failed: {exc}") from exc
        # The fingerprint replaces certificate-authority checks (the certificate is the
        # server's own); urllib3 compares it during the handshake, before anything is sent.
        self.poolmanager.connection_pool_kw["assert_fingerprint"] = pinned
        kwargs["verify"] = False
        try:
            return super().send(request, **kwargs)
        except requests.exceptions.SSLError as exc:
            if "fingerprint" not in str(exc).lower():
                raise
            address = address_of(url)
            try:
                shown = presented_fingerprint(url)
            except OSError:
                shown = "?"
            if shown != "?" and same_fingerprint(shown, pinned):
                raise  # not a changed certificate after all
            raise CertificateChanged(address, pinned, shown) from exc


def pinned_session(session: requests.Session, store: PinStore | None = None) -> None:
    """Route ``session``'s HTTPS through a :class:`PinnedAdapter`."""
    session.mount("https://", PinnedAdapter(store))
