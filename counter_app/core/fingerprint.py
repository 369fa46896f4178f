"""The SHA-256 fingerprint of a certificate, written as ``openssl x509 -fingerprint`` does.

Stations pin the server's certificate by this value (client/pinning.py) and the server
prints it when it makes its own certificate (server/tls.py), so an administrator can compare
the two by eye: ``AB:CD:…`` (32 pairs of upper-case hex digits).
"""

from __future__ import annotations

import hashlib


def sha256_fingerprint(der: bytes) -> str:
    """The fingerprint of a certificate given in DER form."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def same_fingerprint(a: str, b: str) -> bool:
    """Equal whatever the case and separators (``ab:cd`` is ``ABCD``)."""

    def bare(text: str) -> str:
        return text.replace(":", "").replace(" ", "").lower()

    return bare(a) == bare(b)
