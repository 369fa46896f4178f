"""Devices: what they report about themselves (faults), and managing their access (list,
revoke, a new token; store.device_tokens)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from counter_app.core.login_guard import security_log
from counter_app.schemas.devices import (
    DeviceFaultOut,
    DeviceFaultRequest,
    DeviceOut,
    DeviceTokenOut,
    RotateDeviceRequest,
)
from counter_app.server.broker import Broker
from counter_app.server.context import (
    ActorDep,
    ServicesDep,
    WriterDep,
    app_services,
    client_address,
)
from counter_app.store import device_tokens, devices

router = APIRouter(prefix="/api/v1/devices", tags=["devices"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post(
    "/fault", operation_id="report_device_fault", status_code=201, response_model=DeviceFaultOut
)
async def report_device_fault(body: DeviceFaultRequest, writer: WriterDep) -> Response:
    """A kiosk or display reports a fault (printer offline, out of paper …) with its own token.

    Journaled as a ``device.fault`` event, so supervisors see it on their board and stream."""
    return await writer.run(
        lambda s, now: devices.report_fault(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


def end_device_sessions(request: Request, digests: list[str], device_id: int | None = None) -> None:
    """After a commit: this process forgets the device's cached tokens and ends its live
    streams at once (others refuse the tokens within the token cache's few seconds and end
    the streams at their next heartbeat)."""
    svc = app_services(request)
    broker: Broker = request.app.state.broker
    if device_id is not None:
        svc.tokens.forget_device(device_id)
        broker.end_streams_of(device_id=device_id)
    svc.tokens.forget_digests(digests)
    for digest in digests:
        broker.end_streams_of(token_digest=digest)


@router.get("", operation_id="list_devices", response_model=list[DeviceOut])
def list_devices(
    actor: ActorDep,
    svc: ServicesDep,
    branch_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[DeviceOut]:
    """The stations of the caller's branch (a supervisor or admin) with when each was last
    seen and when its token expires; never a token."""
    with svc.db.read() as session:
        return device_tokens.list_devices(session, actor, svc.clock(), branch_id)


@router.post("/{device_id}/revoke", operation_id="revoke_device", response_model=DeviceOut)
async def revoke_device(device_id: Id, request: Request, writer: WriterDep) -> Response:
    """Switch a station off (lost, stolen, replaced): every token it has is revoked and its
    live event streams end at once. Pairing it again (same name) brings it back."""
    digests: list[str] = []

    def work(session: Session, now: datetime) -> DeviceOut:
        out, revoked = device_tokens.revoke_device(session, device_id, writer.actor, now)
        digests.extend(revoked)
        return out

    response = await writer.run(work)
    end_device_sessions(request, digests, device_id)
    security_log.warning(
        "device revoked device_id=%d by=%r from=%s",
        device_id,
        writer.actor.username,
        client_address(request),
    )
    return response


@router.post(
    "/{device_id}/rotate", operation_id="rotate_device_token", response_model=DeviceTokenOut
)
async def rotate_device_token(
    device_id: Id, body: RotateDeviceRequest, request: Request, writer: WriterDep
) -> Response:
    """A new token for a station (shown once); its old tokens are revoked and their streams
    end. ``expires_days``: how long the new one lasts (default: for ever)."""
    digests: list[str] = []

    def work(session: Session, now: datetime) -> DeviceTokenOut:
        out, token, expires, revoked = device_tokens.rotate_device_token(
            session, device_id, writer.actor, now, body.expires_days
        )
        digests.extend(revoked)
        return DeviceTokenOut(device=out, token=token, expires_at=expires)

    response = await writer.run(work)
    end_device_sessions(request, digests, device_id)
    security_log.warning(
        "device token rotated device_id=%d by=%r from=%s",
        device_id,
        writer.actor.username,
        client_address(request),
    )
    return response
