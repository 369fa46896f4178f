"""Caps that keep one person or one network from booking out the slots: active bookings per
NIK, and bookings per client address block a day. The block (IPv4 /24, IPv6 /64) is stored
with the booking instead of the address: enough to spot a run, not enough to name a phone."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from counter_app.core.booking import BookingState
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict
from counter_app.store.models import Booking

# A booking holds a place until it is checked in, cancelled or expires.
HOLDING = BookingState.BOOKED.value
BLOCK_WINDOW = timedelta(days=1)
IPV4_PREFIX, IPV6_PREFIX = 24, 64


@dataclass(frozen=True, slots=True)
class BookingCaps:
    active_per_nik: int
    per_block_per_day: int


def address_block(host: str | None) -> str | None:
    """``10.1.2.3`` → ``10.1.2.0/24``, ``2001:db8::1`` → ``2001:db8::/64``; None when the
    host is not an address."""
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def check(
    session: Session, caps: BookingCaps, nik_hash: str | None, block: str | None, now: datetime
) -> None:
    """Raise if one more booking would pass a cap (inside the booking's write transaction)."""
    if nik_hash is not None:
        active = session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.nik_hash == nik_hash, Booking.state == HOLDING)
        )
        if (active or 0) >= caps.active_per_nik:
            raise conflict(
                ErrorCode.BOOKING_LIMIT,
                f"This NIK already has {caps.active_per_nik} active bookings.",
            )
    if block is not None:
        recent = session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.client_block == block, Booking.created_at >= now - BLOCK_WINDOW)
        )
        if (recent or 0) >= caps.per_block_per_day:
            raise AppError(
                ErrorCode.ADDRESS_BOOKING_LIMIT,
                "Too many bookings from this network today; try again tomorrow.",
            )


def record_block(session: Session, code: str, block: str | None) -> None:
    """Keep the address block with the booking just made."""
    if block is not None:
        session.execute(update(Booking).where(Booking.code == code).values(client_block=block))
