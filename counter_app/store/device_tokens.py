"""Managing stations' access: list the devices, revoke one, give one a new token, note when
one was last seen. Device tokens may expire (``expires_days``); revoking a device revokes
every token it has, so a stolen or replaced station stops at once (server.api.devices ends
its live streams)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import not_found
from counter_app.core.vocabulary import DeviceKind, Role
from counter_app.schemas.devices import DeviceOut
from counter_app.store.auth import new_token, token_digest
from counter_app.store.models import AuthToken, Device


def require_manager(actor: Actor) -> None:
    """Stations are managed by a supervisor or an admin (within their branch), or from the
    command line on the server (an admin actor without a user id)."""
    if actor.role is Role.ADMIN and actor.user_id is None and actor.device_id is None:
        return
    actor.require_role(Role.SUPERVISOR)


def issue_token(
    session: Session, device: Device, now: datetime, expires_days: int | None = None
) -> tuple[str, datetime | None]:
    """A new token for ``device`` (shown once); ``expires_days`` ``None``: it never expires."""
    token = new_token()
    expires = None if expires_days is None else now + timedelta(days=expires_days)
    session.add(
        AuthToken(
            token_hash=token_digest(token), device_id=device.id, created_at=now, expires_at=expires
        )
    )
    return token, expires


def revoke_tokens(session: Session, device_id: int) -> list[str]:
    """Revoke every token of a device; their digests (for the caches and the streams)."""
    digests = list(
        session.scalars(
            select(AuthToken.token_hash).where(
                AuthToken.device_id == device_id, AuthToken.revoked.is_(False)
            )
        )
    )
    session.execute(update(AuthToken).where(AuthToken.device_id == device_id).values(revoked=True))
    return digests


def device_out(session: Session, device: Device, now: datetime) -> DeviceOut:
    valid = (
        select(AuthToken.expires_at)
        .where(
            AuthToken.device_id == device.id,
            AuthToken.revoked.is_(False),
            (AuthToken.expires_at.is_(None)) | (AuthToken.expires_at > now),
        )
        .order_by(AuthToken.id.desc())
    )
    rows = list(session.execute(valid).scalars())
    never = any(e is None for e in rows)
    latest = None if never or not rows else max(e for e in rows if e is not None)
    return DeviceOut(
        id=device.id,
        branch_id=device.branch_id,
        kind=DeviceKind(device.kind),
        name=device.name,
        active=device.active,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        token_expires_at=latest,
        has_valid_token=device.active and bool(rows),
    )


def list_devices(
    session: Session, actor: Actor, now: datetime, branch_id: int | None = None
) -> list[DeviceOut]:
    """The devices of the caller's branch (an all-branch admin: of ``branch_id`` or all)."""
    require_manager(actor)
    branch = actor.branch_id if actor.branch_id is not None else branch_id
    query = select(Device).order_by(Device.branch_id, Device.kind, Device.name, Device.id)
    if branch is not None:
        query = query.where(Device.branch_id == branch)
    return [device_out(session, d, now) for d in session.scalars(query)]


def get_device(session: Session, device_id: int, actor: Actor) -> Device:
    require_manager(actor)
    device = session.get(Device, device_id)
    if device is None:
        raise not_found(ErrorCode.DEVICE_NOT_FOUND, device_id)
    actor.require_branch(device.branch_id)
    return device


def find_device(session: Session, name: str, branch_id: int | None = None) -> Device | None:
    """The device called ``name`` (case-insensitive; in ``branch_id`` when given)."""
    query = select(Device).where(func.lower(Device.name) == name.strip().lower())
    if branch_id is not None:
        query = query.where(Device.branch_id == branch_id)
    return session.scalars(query.order_by(Device.id)).first()


def revoke_device(
    session: Session, device_id: int, actor: Actor, now: datetime
) -> tuple[DeviceOut, list[str]]:
    """Switch a device off: it is inactive and every token it had is revoked."""
    device = get_device(session, device_id, actor)
    device.active = False
    digests = revoke_tokens(session, device.id)
    session.flush()
    return device_out(session, device, now), digests


def rotate_device_token(
    session: Session, device_id: int, actor: Actor, now: datetime, expires_days: int | None
) -> tuple[DeviceOut, str, datetime | None, list[str]]:
    """A new token for a device (re-activated), the old ones revoked."""
    device = get_device(session, device_id, actor)
    digests = revoke_tokens(session, device.id)
    device.active = True
    token, expires = issue_token(session, device, now, expires_days)
    session.flush()
    return device_out(session, device, now), token, expires, digests


def seen(session: Session, device_id: int, now: datetime) -> None:
    """Note that the device is alive (it opened its event stream)."""
    session.execute(update(Device).where(Device.id == device_id).values(last_seen_at=now))
