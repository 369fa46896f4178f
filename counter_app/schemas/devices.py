"""What devices (kiosks, displays) tell the server about themselves: faults."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

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


DeviceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class DeviceOut(Response):
    """A station (kiosk, TV, survey screen) as its list shows it; never its token."""

    id: int
    branch_id: int
    kind: DeviceKind
    name: str
    active: bool
    created_at: datetime
    last_seen_at: datetime | None
    token_expires_at: datetime | None  # the latest valid token's expiry; None: never expires
    has_valid_token: bool


class RotateDeviceRequest(Request):
    expires_days: Annotated[int, Field(ge=1, le=3650)] | None = None


class DeviceTokenOut(Response):
    """A device's new token, shown only this once."""

    device: DeviceOut
    token: str
    expires_at: datetime | None


class PairingCodeRequest(Request):
    kind: Annotated[DeviceKind, ByValue]
    name: DeviceName
    branch_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None  # default: the caller's
    expires_days: Annotated[int, Field(ge=1, le=3650)] | None = None  # the device token's


class PairingCodeOut(Response):
    """The code to type on the station (``ABCD-EFGH``), valid until ``expires_at``, once."""

    code: str
    branch_id: int
    kind: DeviceKind
    name: str
    expires_at: datetime


class PairingClaimRequest(Request):
    code: Annotated[str, StringConstraints(min_length=1, max_length=32)]


class PairingClaimOut(Response):
    """What a station needs to run: its own device token, its branch, and (with TLS) the
    server certificate's SHA-256 fingerprint to pin."""

    token: str
    token_expires_at: datetime | None
    device_id: int
    device_name: str
    kind: DeviceKind
    branch_id: int
    branch_name: str
    certificate_sha256: str | None = None
