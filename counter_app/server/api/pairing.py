"""Pairing a station by a short code (store.pairing).

``create_pairing_code``: a supervisor or admin gets a code for a new kiosk, TV or survey
screen. ``claim_pairing_code``: public; the station sends the code and receives its own
device token, its branch and (with HTTPS) the certificate fingerprint to pin. Claims are
rate-limited per address and overall, so codes cannot be guessed in the ten minutes one
lives (8 characters of 31: about 8.5·10^11 codes against a few hundred tries)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from counter_app.core.actor import ANONYMOUS
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.login_guard import security_log
from counter_app.core.ratelimit import RateLimiter
from counter_app.schemas.devices import (
    PairingClaimOut,
    PairingClaimRequest,
    PairingCodeOut,
    PairingCodeRequest,
)
from counter_app.server.api.devices import end_device_sessions
from counter_app.server.certificate import served_fingerprint
from counter_app.server.context import Writer, WriterDep, app_services, client_address
from counter_app.store import pairing

router = APIRouter(prefix="/api/v1/pairing", tags=["pairing"])

# Per address: 5 tries, then one every 12 s. Overall: 20, then one every 2 s.
PER_ADDRESS = (1 / 12, 5)
OVERALL = (0.5, 20)


class ClaimLimits:
    """Both buckets of the claim route; ``clock`` is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.by_address = RateLimiter(rate_per_second=PER_ADDRESS[0], burst=PER_ADDRESS[1])
        self.overall = RateLimiter(rate_per_second=OVERALL[0], burst=OVERALL[1])
        self.clock = clock

    def check(self, address: str) -> None:
        now = self.clock()
        if not self.by_address.allow(address, now) or not self.overall.allow("all", now):
            raise AppError(
                ErrorCode.RATE_LIMITED, "Too many pairing attempts; wait a minute and try again."
            )


def claim_limits(request: Request) -> ClaimLimits:
    limits: ClaimLimits | None = getattr(request.app.state, "pairing_limits", None)
    if limits is None:
        limits = request.app.state.pairing_limits = ClaimLimits()
    return limits


@router.post(
    "/codes", operation_id="create_pairing_code", status_code=201, response_model=PairingCodeOut
)
async def create_pairing_code(
    body: PairingCodeRequest, request: Request, writer: WriterDep
) -> Response:
    """A single-use code (valid 10 minutes) to type on a new station (a supervisor or an
    admin). ``expires_days`` sets how long the station's device token will last."""
    response = await writer.run(
        lambda s, now: pairing.create_code(s, body, writer.actor, now), status=201
    )
    security_log.warning(
        "pairing code made kind=%s name=%r by=%r from=%s",
        body.kind.value,
        body.name,
        writer.actor.username,
        client_address(request),
    )
    return response


@router.post("/claim", operation_id="claim_pairing_code", response_model=PairingClaimOut)
async def claim_pairing_code(body: PairingClaimRequest, request: Request) -> Response:
    """Exchange a pairing code for this station's own device token (no login: the code is
    the proof). Wrong, used and expired codes get the same answer."""
    address = client_address(request)
    claim_limits(request).check(address)
    svc = app_services(request)
    writer = Writer(request, svc, ANONYMOUS, None)
    fingerprint = served_fingerprint(svc.settings)
    revoked: list[str] = []

    def work(session: Session, now: datetime) -> PairingClaimOut:
        answer, digests = pairing.claim_code(session, body.code, now, fingerprint)
        revoked.extend(digests)
        return answer

    try:
        response = await writer.run(work)
    except AppError as exc:
        if exc.code is ErrorCode.PAIRING_CODE_UNKNOWN:
            security_log.warning("pairing code refused from=%s", address)
        raise
    end_device_sessions(request, revoked)
    security_log.warning("pairing code claimed from=%s", address)
    return response
