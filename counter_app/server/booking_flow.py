"""Booking requests as the JSON API and the web pages both make them: rate limits per client
and per NIK, one write transaction, and the race a unique index settles turned into its code."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.exc import IntegrityError

from counter_app.config import Settings
from counter_app.core.actor import ANONYMOUS
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict
from counter_app.core.nik import check_nik
from counter_app.core.ratelimit import RateLimiter
from counter_app.schemas.booking import BookingCreate, BookingCreated, BookingOut
from counter_app.server.context import Services
from counter_app.store.booking import caps, lifecycle


@dataclass
class BookingLimits:
    """Token buckets for booking and cancelling: per client address and per NIK (hashed).

    In-process: with several server processes each keeps its own, so the effective limit is
    that many times higher (docs/BOOKING.md)."""

    client: RateLimiter
    nik: RateLimiter
    caps: caps.BookingCaps
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> BookingLimits:
        return cls(
            client=RateLimiter(
                settings.booking_client_per_minute / 60, settings.booking_client_burst
            ),
            nik=RateLimiter(settings.booking_nik_per_hour / 3600, settings.booking_nik_burst),
            caps=caps.BookingCaps(
                active_per_nik=settings.booking_active_per_nik,
                per_block_per_day=settings.booking_per_block_per_day,
            ),
        )

    def check(self, limiter: RateLimiter, key: str) -> None:
        with self.lock:
            allowed = limiter.allow(key, time.monotonic())
        if not allowed:
            raise AppError(ErrorCode.RATE_LIMITED, "Too many requests; wait a moment.")


def limits(request: Request) -> BookingLimits:
    found: BookingLimits = request.app.state.booking_limits
    return found


def client_key(request: Request) -> str:
    """The client's address: uvicorn takes it from X-Forwarded-For only when the request
    came through a trusted proxy (``COUNTER_APP_TRUSTED_PROXIES``)."""
    return request.client.host if request.client else "unknown"


def _nik_key(svc: Services, nik_text: str) -> str | None:
    try:
        return check_nik(nik_text).digest(svc.keys.nik.current)
    except AppError:
        return None  # a malformed NIK is refused by the store with its own message


def create(svc: Services, request: Request, data: BookingCreate) -> BookingCreated:
    guard = limits(request)
    guard.check(guard.client, client_key(request))
    nik_key = _nik_key(svc, data.nik)
    if nik_key is not None:
        guard.check(guard.nik, nik_key)
    block = caps.address_block(client_key(request))
    try:
        with svc.db.write() as session:
            now = svc.clock()
            caps.check(session, guard.caps, nik_key, block, now)
            created = lifecycle.create_booking(session, data, svc.keys.nik, ANONYMOUS, now)
            caps.record_block(session, created.code, block)
            return created
    except IntegrityError as exc:
        # Two bookings for one NIK raced past the check; the unique index let one through.
        text = str(exc.orig)
        if "uq_bookings_active_nik" in text or "nik_hash" in text:
            raise conflict(
                ErrorCode.BOOKING_EXISTS,
                "This NIK already has a booking for this service on that day.",
            ) from None
        raise


def cancel(
    svc: Services,
    request: Request,
    code: str,
    *,
    nik: str | None = None,
    cancel_token: str | None = None,
) -> BookingOut:
    guard = limits(request)
    guard.check(guard.client, client_key(request))
    if nik is not None:
        nik_key = _nik_key(svc, nik)
        if nik_key is not None:
            guard.check(guard.nik, nik_key)
    with svc.db.write() as session:
        return lifecycle.cancel_booking(
            session,
            code,
            nik_keys=svc.keys.nik,
            nik=nik,
            cancel_token=cancel_token,
            actor=ANONYMOUS,
            now=svc.clock(),
        )


def reveal(svc: Services, request: Request, code: str, nik: str) -> BookingOut:
    """The booking with its personal parts, for whom types its NIK; limited like cancelling,
    so the NIK cannot be guessed for a known code."""
    guard = limits(request)
    guard.check(guard.client, client_key(request))
    nik_key = _nik_key(svc, nik)
    if nik_key is not None:
        guard.check(guard.nik, nik_key)
    with svc.db.read() as session:
        return lifecycle.get_booking(session, code, nik_keys=svc.keys.nik, nik=nik)
