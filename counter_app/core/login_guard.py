"""Guarding the login route: a throttle against password guessing, a small bounded pool for
argon2, and a security log of every attempt.

- **Throttle.** Failures are counted per username and per client address. The first
  ``free_failures`` cost nothing (people mistype); after that each key is locked for a delay
  that doubles with every further failure, up to ``max_delay``. A locked key is answered 429
  ``login_throttled`` with ``Retry-After`` *before* any password is checked, so guessing costs
  the guesser time and the server nothing. A success clears the username's count. The counts
  live in this process (several server processes each keep their own: the bound per process
  still holds; docs/SECURITY.md).
- **Pool.** argon2 is slow on purpose (tens of milliseconds of CPU). Run in the thread pool
  that serves every plain route, 40 parallel logins starved an officer's clicks for seconds.
  Here password checks have their own threads (half the cores, at least one, at a lower OS
  priority on Linux) and at most ``queue_limit`` waiting; beyond that a login is refused at
  once (503 ``login_busy``) rather than queued.
- **Security log.** ``counter_app.security`` records each success (INFO) and failure
  (WARNING), and refusals (throttled, pool full; WARNING) once per ``REFUSAL_LOG_SECONDS`` per
  name and address: who, from where (the time is the record's). Usernames are stripped of
  control characters first, so a crafted name cannot forge log lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError

security_log = logging.getLogger("counter_app.security")
T = TypeVar("T")
MAX_LOGGED_NAME = 64
REFUSAL_LOG_SECONDS = 10.0
MAX_LOGGED_KEYS = 10_000
PASSWORD_THREAD_NICE = 10  # added to the server's own nice value


def printable(text: str, limit: int = MAX_LOGGED_NAME) -> str:
    """``text`` without control characters (newlines, escapes), cut to ``limit``: safe to log."""
    kept = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    return kept[:limit]


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0
    last_at: float = 0.0


class LoginThrottle:
    """Growing delays after repeated failures, per key (``user:NAME``, ``addr:IP``).

    Time is passed in (monotonic seconds) so the rule can be tested without sleeping."""

    def __init__(
        self,
        free_failures: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 900.0,
        forget_after: float = 3600.0,
        max_keys: int = 50_000,
    ) -> None:
        self.free_failures = free_failures
        self.forget_after = forget_after
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_keys = max_keys
        self._keys: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, keys: list[str], now: float) -> float:
        """How long the caller must still wait (0: it may try now)."""
        with self._lock:
            waits = [f.locked_until - now for k in keys if (f := self._keys.get(k)) is not None]
        return max([0.0, *waits])

    def failed(self, keys: list[str], now: float) -> None:
        with self._lock:
            if len(self._keys) >= self.max_keys:
                # Forget the keys that are no longer locked (a flood of made-up names).
                self._keys = {k: f for k, f in self._keys.items() if f.locked_until > now}
            for key in keys:
                entry = self._keys.setdefault(key, _Failures())
                if now - entry.last_at > self.forget_after and entry.locked_until <= now:
                    entry.count = 0  # an old run of mistakes no longer counts
                entry.count += 1
                entry.last_at = now
                beyond = entry.count - self.free_failures
                if beyond > 0:
                    delay = min(self.max_delay, self.base_delay * 2 ** min(beyond - 1, 30))
                    entry.locked_until = max(entry.locked_until, now + delay)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._keys.pop(key, None)


def default_workers() -> int:
    """Half the cores (at least one): argon2 must never take every core from the office."""
    return max(1, (os.cpu_count() or 2) // 2)


def _lower_priority() -> None:
    """Run this pool thread at a lower OS priority (Linux: each thread has its own nice
    value), so the threads serving the office win the cores when both want them."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            thread = threading.get_native_id()
            lower = min(19, os.getpriority(os.PRIO_PROCESS, thread) + PASSWORD_THREAD_NICE)
            os.setpriority(os.PRIO_PROCESS, thread, lower)


class PasswordPool:
    """A few threads for argon2, with a bounded queue: overflow is refused, never queued."""

    def __init__(self, workers: int | None = None, queue_limit: int = 8) -> None:
        workers = workers or default_workers()
        self._executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="argon2", initializer=_lower_priority
        )
        self._slots = threading.BoundedSemaphore(workers + queue_limit)

    async def run(self, work: Callable[[], T]) -> T:
        if not self._slots.acquire(blocking=False):
            raise AppError(
                ErrorCode.LOGIN_BUSY,
                "Too many logins at once; try again in a moment.",
                {"retry_after": 1},
            )
        try:
            future = self._executor.submit(work)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _user_key(username: str) -> str:
    return username.casefold()


class LoginGuard:
    """The throttle, the pool and the log, as the login route uses them."""

    def __init__(
        self,
        by_user: LoginThrottle | None = None,
        by_address: LoginThrottle | None = None,
        pool: PasswordPool | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.by_user = by_user or LoginThrottle(free_failures=5)
        # Several officers may share an address (a NAT, a terminal server): more slack, and a
        # success does not clear it (or one valid account would reset a guesser's count).
        self.by_address = by_address or LoginThrottle(free_failures=20)
        self.pool = pool or PasswordPool()
        self.monotonic = monotonic
        self._last_logged: dict[tuple[str, str, str], float] = {}
        self._log_lock = threading.Lock()

    def _worth_logging(self, what: str, username: str, address: str) -> bool:
        """Refusals are logged once per ``REFUSAL_LOG_SECONDS`` per name and address: a storm
        of thousands a second must not flood the log."""
        now = self.monotonic()
        key = (what, _user_key(username), address)
        with self._log_lock:
            last = self._last_logged.get(key)
            if last is not None and now - last < REFUSAL_LOG_SECONDS:
                return False
            if len(self._last_logged) >= MAX_LOGGED_KEYS:
                self._last_logged.clear()
            self._last_logged[key] = now
            return True

    def check(self, username: str, address: str) -> None:
        """Refuse (429 ``login_throttled``) a caller who must still wait."""
        now = self.monotonic()
        wait = max(
            self.by_user.wait_seconds([_user_key(username)], now),
            self.by_address.wait_seconds([address], now),
        )
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            if self._worth_logging("throttled", username, address):
                security_log.warning(
                    "login throttled user=%r from=%s retry_after=%ds",
                    printable(username),
                    printable(address),
                    retry_after,
                )
            raise AppError(
                ErrorCode.LOGIN_THROTTLED,
                f"Too many failed logins; try again in {retry_after} seconds.",
                {"retry_after": retry_after},
            )

    def failed(self, username: str, address: str) -> None:
        now = self.monotonic()
        self.by_user.failed([_user_key(username)], now)
        self.by_address.failed([address], now)
        security_log.warning(
            "login failed user=%r from=%s", printable(username), printable(address)
        )

    def succeeded(self, username: str, address: str) -> None:
        self.by_user.succeeded([_user_key(username)])
        security_log.info("login ok user=%r from=%s", printable(username), printable(address))

    def busy(self, username: str, address: str) -> None:
        if not self._worth_logging("busy", username, address):
            return
        security_log.warning(
            "login refused (password checks full) user=%r from=%s",
            printable(username),
            printable(address),
        )
