"""Users' passwords (argon2id) and bearer tokens (random; only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.errors import AppError, ErrorKind
from counter_app.core.vocabulary import DeviceKind, Role
from counter_app.store.models import AuthToken, Device, User

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown user like a known one's.
_DUMMY_HASH = _hasher.hash("not a password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def bad_login() -> AppError:
    return AppError(ErrorKind.UNAUTHORIZED, "bad_credentials", "Wrong username or password.")


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        password_matches(_DUMMY_HASH, password)
        raise bad_login()
    if not password_matches(user.password_hash, password) or not user.active:
        raise bad_login()
    return user


def issue_user_token(
    session: Session, user: User, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    token = new_token()
    expires = now + ttl
    session.add(
        AuthToken(
            token_hash=token_digest(token), user_id=user.id, created_at=now, expires_at=expires
        )
    )
    return token, expires


def issue_device_token(session: Session, device: Device, now: datetime) -> str:
    token = new_token()
    session.add(AuthToken(token_hash=token_digest(token), device_id=device.id, created_at=now))
    return token


def revoke(session: Session, token: str) -> None:
    session.execute(
        update(AuthToken).where(AuthToken.token_hash == token_digest(token)).values(revoked=True)
    )


def resolve(session: Session, token: str, now: datetime) -> tuple[Actor, datetime | None] | None:
    """The actor a token stands for and when it expires, or ``None`` if it is not valid."""
    row = session.scalars(
        select(AuthToken).where(AuthToken.token_hash == token_digest(token))
    ).one_or_none()
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.user_id is not None:
        user = session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        actor = Actor(
            user_id=user.id, username=user.username, role=Role(user.role), branch_id=user.branch_id
        )
        return actor, row.expires_at
    device = session.get(Device, row.device_id) if row.device_id is not None else None
    if device is None or not device.active:
        return None
    return Actor(
        device_id=device.id, device_kind=DeviceKind(device.kind), branch_id=device.branch_id
    ), None
