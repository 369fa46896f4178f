"""The keys of online booking, one per purpose, derived from the installation's secret.

The secret is ``COUNTER_APP_BOOKING_SECRET`` when set, otherwise generated once and kept in the
database (store.secrets), so every server process and host sharing the database agrees on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.config import Settings
from counter_app.store.db import Database
from counter_app.store.secrets import BOOKING_SECRET, derive, ensure_secret


@dataclass(frozen=True)
class Keys:
    nik: bytes  # HMAC-SHA256 key of the stored NIK hashes
    form: bytes  # signs the anti-CSRF form tokens of the web pages


def load_keys(settings: Settings, db: Database, now: datetime) -> Keys:
    if settings.booking_secret:
        secret = settings.booking_secret.encode()
    else:
        with db.write() as session:
            secret = ensure_secret(session, BOOKING_SECRET, now)
    return Keys(nik=derive(secret, "nik"), form=derive(secret, "form"))
