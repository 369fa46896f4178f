"""Secrets generated once per installation and kept in the database.

The first server process to start creates the secret (``INSERT … ON CONFLICT DO NOTHING``);
every later process, on this host or another one sharing the PostgreSQL database, reads the
same value. It lives in the database rather than in a data directory because several server
hosts must agree on it, and because a restored backup must still verify the NIK hashes and form
tokens it holds (see docs/BOOKING.md for what this does and does not protect).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.store.models import ServerSecret

BOOKING_SECRET = "booking"


@cache
def _insert_statement(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(ServerSecret).on_conflict_do_nothing(index_elements=["name"])


def ensure_secret(session: Session, name: str, now: datetime) -> bytes:
    """The named secret, created on first use (32 random bytes)."""
    session.execute(
        _insert_statement(session.get_bind().dialect.name),
        {"name": name, "value": secrets.token_hex(32), "created_at": now},
    )
    value = session.scalar(select(ServerSecret.value).where(ServerSecret.name == name))
    assert value is not None
    return bytes.fromhex(value)


def derive(secret: bytes, purpose: str) -> bytes:
    """A separate key per purpose, so no key is used for two things."""
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
