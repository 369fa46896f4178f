"""The login throttle's growing delays, the bounded argon2 pool, and safe log names."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.login_guard import LoginGuard, LoginThrottle, PasswordPool, printable


def test_delays_start_after_the_free_failures_and_double_up_to_the_cap() -> None:
    throttle = LoginThrottle(free_failures=3, base_delay=1.0, max_delay=8.0)
    key = ["user:admin"]
    waits = []
    for _ in range(8):
        throttle.failed(key, now=100.0)
        waits.append(throttle.wait_seconds(key, now=100.0))
    assert waits == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert throttle.wait_seconds(key, now=108.0) == 0.0
    throttle.succeeded(key)
    throttle.failed(key, now=200.0)
    assert throttle.wait_seconds(key, now=200.0) == 0.0, "a success starts the count again"


def test_an_old_run_of_mistakes_is_forgotten() -> None:
    throttle = LoginThrottle(free_failures=2, forget_after=60.0)
    for _ in range(2):
        throttle.failed(["k"], now=0.0)
    throttle.failed(["k"], now=1000.0)
    assert throttle.wait_seconds(["k"], now=1000.0) == 0.0


def test_the_guard_throttles_by_name_and_by_address_with_retry_after() -> None:
    now = [0.0]
    guard = LoginGuard(
        by_user=LoginThrottle(free_failures=2),
        by_address=LoginThrottle(free_failures=4),
        pool=PasswordPool(workers=1, queue_limit=0),
        monotonic=lambda: now[0],
    )
    try:
        for _ in range(3):
            guard.check("admin", "10.0.0.9")
            guard.failed("admin", "10.0.0.9")
        with pytest.raises(AppError) as refused:
            guard.check("ADMIN", "10.0.0.1")  # the name, whatever the case or the address
        assert refused.value.code is ErrorCode.LOGIN_THROTTLED
        assert refused.value.details == {"retry_after": 1}
        # Spraying other names from one address: the address's own count catches it.
        guard.check("someone", "10.0.0.9")
        guard.failed("someone", "10.0.0.9")
        guard.check("another", "10.0.0.9")
        guard.failed("another", "10.0.0.9")
        with pytest.raises(AppError):
            guard.check("third", "10.0.0.9")
        guard.check("third", "10.0.0.2")
        now[0] = 10.0
        guard.check("admin", "10.0.0.9")
    finally:
        guard.pool.shutdown()


def test_the_pool_refuses_at_once_when_its_workers_and_queue_are_full() -> None:
    pool = PasswordPool(workers=1, queue_limit=1)
    release = threading.Event()

    async def scenario() -> None:
        running = asyncio.ensure_future(pool.run(lambda: release.wait(10)))
        queued = asyncio.ensure_future(pool.run(lambda: True))
        await asyncio.sleep(0)
        with pytest.raises(AppError) as refused:
            await pool.run(lambda: True)
        assert refused.value.code is ErrorCode.LOGIN_BUSY
        release.set()
        assert await asyncio.wait_for(running, 10) is True
        assert await asyncio.wait_for(queued, 10) is True
        assert await asyncio.wait_for(pool.run(lambda: 7), 10) == 7, "slots are given back"

    try:
        asyncio.run(scenario())
    finally:
        release.set()
        pool.shutdown()


def test_names_are_stripped_of_control_characters_before_logging() -> None:
    assert printable("admin\r\n2026-01-01 INFO login ok user='boss'") == (
        "admin2026-01-01 INFO login ok user='boss'"
    )
    assert printable("a\x1b[31mb\x00c\u202e") == "a[31mbc"
    assert len(printable("x" * 500)) == 64


def test_a_storm_of_refusals_is_logged_once_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    guard = LoginGuard(
        by_user=LoginThrottle(free_failures=1),
        pool=PasswordPool(workers=1, queue_limit=0),
        monotonic=lambda: now[0],
    )
    caplog.set_level(logging.INFO, logger="counter_app.security")
    try:
        guard.failed("admin", "10.0.0.9")
        guard.failed("admin", "10.0.0.9")  # locked for 1 s
        for _ in range(500):
            with pytest.raises(AppError):
                guard.check("admin", "10.0.0.9")
        throttled = [r for r in caplog.records if r.getMessage().startswith("login throttled")]
        assert len(throttled) == 1
        assert throttled[0].levelno == logging.WARNING
        assert [r.getMessage() for r in caplog.records].count(
            "login failed user='admin' from=10.0.0.9"
        ) == 2, "every failure is logged"
    finally:
        guard.pool.shutdown()
