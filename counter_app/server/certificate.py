"""The SHA-256 fingerprint of the certificate this server serves HTTPS with, if any: handed
to a station at pairing and announced on the LAN, so the station can pin it."""

from __future__ import annotations

import logging

from counter_app.config import Settings

log = logging.getLogger(__name__)


def served_fingerprint(settings: Settings) -> str | None:
    """``None`` for plain HTTP or a certificate that cannot be read (logged)."""
    from counter_app.server.tls import CERT_NAME, file_fingerprint

    if settings.ssl_certfile is not None:
        path = settings.ssl_certfile
    elif settings.tls_self_signed:
        path = settings.tls_dir / CERT_NAME
    else:
        return None
    try:
        return file_fingerprint(path)
    except (OSError, ValueError) as exc:
        log.warning("cannot read the certificate %s for its fingerprint: %s", path, exc)
        return None
