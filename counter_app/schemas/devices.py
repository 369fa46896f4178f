"""What devices (kiosks, displays) tell the server about themselves: faults."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from counter_app.core.vocabulary import DeviceKind, FaultKind
from counter_app.schemas.base import ByValue, Request, Response


class DeviceFaultRequest(Request):
    kind: Annotated[FaultKind, ByValue]
    message: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class DeviceFaultOut(Response):
    """The fault as journaled (``device.fault`` event ``seq``)."""

    seq: int
    at: datetime
    branch_id: int
    device_id: int
    device_name: str
    device_kind: DeviceKind
    kind: FaultKind
    message: str
