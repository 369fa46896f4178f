"""Pairing codes: a supervisor asks for a short code for a new station (kiosk, TV, survey
screen) and types it on the station, which exchanges it once for its own device token.

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
``ABCD-EFGH``: 31^8 ≈ 8.5·10^11 codes, guessed against a rate limit (server.api.pairing). It
is stored only as its SHA-256, works once, and expires after ``CODE_MINUTES``."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import DeviceKind
from counter_app.schemas.devices import PairingClaimOut, PairingCodeOut, PairingCodeRequest
from counter_app.store import device_tokens
from counter_app.store.models import Branch, Device, PairingCode

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_MINUTES = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH``, easier to read aloud and type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalised(text: str) -> str | None:
    """What was typed, without spaces and dashes, in capitals; ``None`` if it cannot be a
    code (so it is refused without a database look-up)."""
    code = "".join(c for c in text.upper() if c not in " -\t")
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def create_code(
    session: Session, request: PairingCodeRequest, actor: Actor, now: datetime
) -> PairingCodeOut:
    """A new code for a station of ``request.kind`` called ``request.name``."""
    device_tokens.require_manager(actor)
    branch_id = actor.branch_id if actor.branch_id is not None else request.branch_id
    if branch_id is None:
        raise AppError(ErrorCode.BRANCH_REQUIRED, "Say which branch the station belongs to.")
    actor.require_branch(branch_id)
    if session.get(Branch, branch_id) is None:
        raise AppError(ErrorCode.BRANCH_NOT_FOUND, f"No branch with id {branch_id}.")
    code = new_code()
    expires = now + timedelta(minutes=CODE_MINUTES)
    session.add(
        PairingCode(
            code_hash=code_digest(code),
            branch_id=branch_id,
            kind=request.kind.value,
            name=request.name,
            token_days=request.expires_days,
            created_by=actor.user_id,
            created_at=now,
            expires_at=expires,
        )
    )
    # Expired and used codes are of no further use: keep the table small.
    session.execute(delete(PairingCode).where(PairingCode.expires_at < now - timedelta(days=1)))
    return PairingCodeOut(
        code=shown(code),
        branch_id=branch_id,
        kind=request.kind,
        name=request.name,
        expires_at=expires,
    )


def claim_code(
    session: Session, text: str, now: datetime, certificate_sha256: str | None
) -> tuple[PairingClaimOut, list[str]]:
    """Exchange a code for a device token. A device of that name and kind in the branch is
    re-paired (its old tokens revoked: a replaced TV keeps its name); else one is created.
    Also the digests of revoked tokens, for the caller to end their streams."""
    code = normalised(text)
    if code is None:
        raise AppError(ErrorCode.PAIRING_CODE_UNKNOWN)
    # Claimed in one conditional update: two stations typing the same code cannot both win.
    claimed = session.execute(
        update(PairingCode)
        .where(
            PairingCode.code_hash == code_digest(code),
            PairingCode.used_at.is_(None),
            PairingCode.expires_at > now,
        )
        .values(used_at=now)
        .returning(PairingCode.id)
    ).scalar_one_or_none()
    if claimed is None:
        raise AppError(ErrorCode.PAIRING_CODE_UNKNOWN)
    pairing = session.get_one(PairingCode, claimed)
    branch = session.get_one(Branch, pairing.branch_id)
    device = session.scalars(
        select(Device)
        .where(
            Device.branch_id == pairing.branch_id,
            Device.kind == pairing.kind,
            Device.name == pairing.name,
        )
        .order_by(Device.id)
    ).first()
    digests: list[str] = []
    if device is None:
        device = Device(
            branch_id=pairing.branch_id, kind=pairing.kind, name=pairing.name, created_at=now
        )
        session.add(device)
        session.flush()
    else:
        digests = device_tokens.revoke_tokens(session, device.id)
        device.active = True
    token, expires = device_tokens.issue_token(session, device, now, pairing.token_days)
    return (
        PairingClaimOut(
            token=token,
            token_expires_at=expires,
            device_id=device.id,
            device_name=device.name,
            kind=DeviceKind(device.kind),
            branch_id=branch.id,
            branch_name=branch.name,
            certificate_sha256=certificate_sha256,
        ),
        digests,
    )
