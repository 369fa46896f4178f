"""The LED driver against simulated displays: a local TCP listener (socket://) and a pty."""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from counter_app.hardware.led import LedDisplay, LedDriver
from counter_app.hardware.led_frames import StxEtxEncoder
from tests.support.led_display import SimulatedDisplay
from tests.support.ports import free_port

WAIT = 5.0  # upper bound for anything to arrive


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def display() -> Iterator[SimulatedDisplay]:
    sim = SimulatedDisplay()
    yield sim
    sim.close()


def test_simulated_display_receives_exact_frames(display: SimulatedDisplay) -> None:
    settings = LedDisplay(port=f"socket://127.0.0.1:{display.port}", address=3)
    with LedDriver(settings) as driver:
        driver.show("A-123")
        assert wait_until(lambda: len(display.data()) >= 14)
        driver.show("B-7")
        expected = b"\x0203   A-123\x037C" + StxEtxEncoder().encode(3, "B-7")
        assert wait_until(lambda: len(display.data()) >= len(expected))
    assert display.data() == expected
    assert driver.frames_sent == 2
    assert driver.last_error is None


def test_plain_encoder_over_socket(display: SimulatedDisplay) -> None:
    settings = LedDisplay(
        port=f"socket://127.0.0.1:{display.port}", encoder="plain", width=5, address=7
    )
    with LedDriver(settings) as driver:
        driver.show("C-9")
        assert wait_until(lambda: display.data() == b"  C-9\r")


def test_unreachable_display_is_reported_and_newest_text_wins_when_it_appears() -> None:
    port = free_port()
    errors: list[str] = []
    settings = LedDisplay(port=f"socket://127.0.0.1:{port}", address=3)
    driver = LedDriver(settings, on_error=errors.append, retry_initial=0.05, retry_max=0.2)
    with driver:
        driver.show("A-001")
        assert wait_until(lambda: len(errors) >= 1)
        assert f"LED display socket://127.0.0.1:{port} (address 3) is not responding" in errors[0]
        assert driver.last_error == errors[0]

        started = time.monotonic()
        for n in range(2, 201):
            driver.show(f"A-{n:03d}")
        assert time.monotonic() - started < 0.5  # show() never waits on the hardware
        assert wait_until(lambda: len(errors) >= 3)  # retried, and reported each time

        sim = SimulatedDisplay(port)
        try:
            newest = StxEtxEncoder().encode(3, "A-200")
            assert wait_until(lambda: sim.data() == newest)
            time.sleep(0.3)  # nothing stale follows
            assert sim.data() == newest
            assert wait_until(lambda: driver.last_error is None)
        finally:
            driver.stop()
            sim.close()
    assert driver.frames_sent == 1


def test_stop_is_prompt_during_backoff() -> None:
    settings = LedDisplay(port=f"socket://127.0.0.1:{free_port()}")
    errors: list[str] = []
    driver = LedDriver(settings, on_error=errors.append, retry_initial=30, retry_max=60).start()
    driver.show("A-1")
    assert wait_until(lambda: bool(errors))
    started = time.monotonic()
    driver.stop()
    assert time.monotonic() - started < 1.0
    assert not driver.running


def test_missing_serial_device_is_reported() -> None:
    errors: list[str] = []
    settings = LedDisplay(port="/nonexistent/ttyLED0")
    with LedDriver(settings, on_error=errors.append, retry_initial=0.05, retry_max=0.1) as d:
        d.show("A-1")
        assert wait_until(lambda: bool(errors))
    assert "/nonexistent/ttyLED0" in errors[0]


@pytest.mark.allow_error_logs  # the driver logs each failure of the callback made to fail
def test_failing_callback_does_not_kill_the_driver() -> None:
    calls: list[str] = []

    def bad(message: str) -> None:
        calls.append(message)
        raise RuntimeError("callback broke")

    settings = LedDisplay(port=f"socket://127.0.0.1:{free_port()}")
    with LedDriver(settings, on_error=bad, retry_initial=0.05, retry_max=0.05) as driver:
        driver.show("A-1")
        assert wait_until(lambda: len(calls) >= 2)
        assert driver.running


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match=r"0\.\.255"):
        LedDisplay(port="loop://", address=256)
    with pytest.raises(ValueError, match="unknown LED frame encoder"):
        LedDisplay(port="loop://", encoder="nope")
    with pytest.raises(ValueError, match="port"):
        LedDisplay(port="")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty test needs Linux")
def test_pty_display_receives_exact_frame() -> None:
    master, slave = os.openpty()
    try:
        settings = LedDisplay(port=os.ttyname(slave), baudrate=19200, address=3)
        expected = b"\x0203   A-123\x037C"
        received = bytearray()
        with LedDriver(settings) as driver:
            driver.show("A-123")
            deadline = time.monotonic() + WAIT
            while len(received) < len(expected) and time.monotonic() < deadline:
                readable, _, _ = select.select([master], [], [], 0.1)
                if readable:
                    received += os.read(master, 1024)
        assert bytes(received) == expected
    finally:
        os.close(master)
        os.close(slave)
