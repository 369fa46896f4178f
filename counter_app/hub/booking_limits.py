"""Rate limits on booking through the hub, as on a branch (docs/BOOKING.md "Rate limits"):
booking, cancelling and showing a booking by NIK, per client address and per NIK (its hash
under the hub's key). Token buckets in each hub process: with N processes behind a balancer
the effective limit is up to N times higher; the client address is the proxy's unless uvicorn
trusts it to forward the citizen's (``--forwarded-allow-ips``).

``COUNTER_APP_HUB_BOOKING_CLIENT_PER_MINUTE`` (10), ``…_CLIENT_BURST`` (10),
``COUNTER_APP_HUB_BOOKING_NIK_PER_HOUR`` (10), ``…_NIK_BURST`` (5).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.nik import NikKeys, check_nik
from counter_app.core.ratelimit import RateLimiter

PREFIX = "COUNTER_APP_HUB_BOOKING_"


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(PREFIX + name, default))


@dataclass
class HubBookingLimits:
    client: RateLimiter
    nik: RateLimiter
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_environment(cls) -> HubBookingLimits:
        return cls(
            client=RateLimiter(
                _setting("CLIENT_PER_MINUTE", 10) / 60, int(_setting("CLIENT_BURST", 10))
            ),
            nik=RateLimiter(_setting("NIK_PER_HOUR", 10) / 3600, int(_setting("NIK_BURST", 5))),
        )

    def _check(self, limiter: RateLimiter, key: str) -> None:
        with self.lock:
            allowed = limiter.allow(key, time.monotonic())
        if not allowed:
            raise AppError(ErrorCode.RATE_LIMITED, "Too many requests; wait a moment.")

    def check(self, client: str, nik_text: str | None, keys: NikKeys) -> None:
        """Charge the client's bucket, and the NIK's when one is given (a malformed NIK is
        refused later with its own message)."""
        self._check(self.client, client)
        if nik_text:
            try:
                digest = check_nik(nik_text).digest(keys.current)
            except AppError:
                return
            self._check(self.nik, digest)
