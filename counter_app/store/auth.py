"""Users' passwords (argon2id) and bearer tokens (random; only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import DeviceKind, Role
from counter_app.store.models import AuthToken, Device, User
from counter_app.store.prepared import Prepared

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps the time of a login for an unknown user like a known
    one's. Made at the first such login, not at import: a hash costs the server's start."""
    return _hasher.hash("not a password")


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
    return AppError(ErrorCode.BAD_CREDENTIALS, "Wrong username or password.")


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        password_matches(_dummy_hash(), password)
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


# One statement, straight on the driver (``store.prepared``): a token the server's cache does
# not know is looked up on the request's path, nearly every click of a real counter.
_RESOLVE = Prepared(
    select(
        AuthToken.revoked,
        AuthToken.expires_at,
        AuthToken.user_id,
        AuthToken.device_id,
        User.username,
        User.role,
        User.branch_id,
        User.active,
        Device.kind,
        Device.branch_id,
        Device.active,
    )
    .select_from(AuthToken)
    .outerjoin(User, User.id == AuthToken.user_id)
    .outerjoin(Device, Device.id == AuthToken.device_id)
    .where(AuthToken.token_hash == bindparam("digest"))
)


def resolve(session: Session, token: str, now: datetime) -> tuple[Actor, datetime | None] | None:
    """The actor a token stands for and when it expires, or ``None`` if it is not valid."""
    row = _RESOLVE.first(session, digest=token_digest(token))
    if row is None:
        return None
    (
        revoked,
        expires_at,
        user_id,
        device_id,
        username,
        role,
        user_branch,
        user_active,
        device_kind,
        device_branch,
        device_active,
    ) = row
    if revoked or (expires_at is not None and expires_at <= now):
        return None
    if user_id is not None:
        if username is None or not user_active:
            return None
        actor = Actor(user_id=user_id, username=username, role=Role(role), branch_id=user_branch)
        return actor, expires_at
    if device_id is None or device_kind is None or not device_active:
        return None
    return Actor(
        device_id=device_id, device_kind=DeviceKind(device_kind), branch_id=device_branch
    ), expires_at
