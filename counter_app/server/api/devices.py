"""What devices report about themselves."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from counter_app.schemas.devices import DeviceFaultOut, DeviceFaultRequest
from counter_app.server.context import WriterDep
from counter_app.store import devices

router = APIRouter(prefix="/api/v1/devices", tags=["devices"])


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
