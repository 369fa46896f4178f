"""Faults reported by devices: journaled, so supervisors see them live and in the audit trail."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.errors import forbidden
from counter_app.core.log_safe import printable
from counter_app.core.vocabulary import DeviceKind, EventKind
from counter_app.schemas.devices import DeviceFaultOut, DeviceFaultRequest
from counter_app.store import journal
from counter_app.store.models import Device

log = logging.getLogger(__name__)


def report_fault(
    session: Session, request: DeviceFaultRequest, actor: Actor, now: datetime
) -> DeviceFaultOut:
    if actor.device_id is None:
        raise forbidden("Only a device (kiosk or display) reports its own faults.")
    device = session.get(Device, actor.device_id)
    if device is None or not device.active:
        raise forbidden("This device is not registered any more.")
    data = {
        "kind": request.kind.value,
        "message": request.message,
        "device_name": device.name,
        "device_kind": device.kind,
    }
    event = journal.record(
        session,
        branch_id=device.branch_id,
        kind=EventKind.DEVICE_FAULT,
        at=now,
        actor=actor,
        data=data,
    )
    log.warning(
        "device %r (%s) reports a %s fault: %s",
        printable(device.name),
        printable(device.kind),
        request.kind.value,
        printable(request.message),
    )
    return DeviceFaultOut(
        seq=event.seq,
        at=now,
        branch_id=device.branch_id,
        device_id=device.id,
        device_name=device.name,
        device_kind=DeviceKind(device.kind),
        kind=request.kind,
        message=request.message,
    )
