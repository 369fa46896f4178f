"""Driver for one serial LED counter display (RS-232/RS-485 through pyserial).

``LedDriver.show(text)`` only records the text and returns: a background thread opens the
port, encodes the newest text and writes it. There is one pending slot per display, so while
the hardware is slow, unplugged or failing, older texts are dropped and the newest one wins.
A failure is logged and handed to the optional ``on_error`` callback (on the driver's thread),
the port is closed and reopened after a jittered backoff that doubles up to a cap. Qt-free.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import serial

from counter_app.core.backoff import Backoff

from .led_frames import (
    DEFAULT_ENCODER,
    DEFAULT_WIDTH,
    Align,
    FrameEncoder,
    check_address,
    make_encoder,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LedDisplay:
    """Settings for one display.

    ``port`` is anything ``serial.serial_for_url`` accepts: ``/dev/ttyUSB0``, ``COM3``,
    ``socket://host:port``, ``rfc2217://host:port``, ``loop://``.
    """

    port: str
    baudrate: int = 9600
    address: int = 1
    encoder: str = DEFAULT_ENCODER
    width: int = DEFAULT_WIDTH
    align: Align = "right"
    write_timeout: float = 1.0

    def __post_init__(self) -> None:
        if not self.port:
            raise ValueError("LED display port must not be empty")
        if self.baudrate <= 0:
            raise ValueError(f"LED display baud rate must be positive, got {self.baudrate}")
        check_address(self.address)
        make_encoder(self.encoder, self.width, self.align)  # validates name, width, align

    def make_encoder(self) -> FrameEncoder:
        return make_encoder(self.encoder, self.width, self.align)


ErrorCallback = Callable[[str], None]


class LedDriver:
    """Sends the newest text to one display from a background thread; never blocks callers."""

    def __init__(
        self,
        display: LedDisplay,
        on_error: ErrorCallback | None = None,
        *,
        retry_initial: float = 0.5,
        retry_max: float = 30.0,
        open_timeout: float = 2.0,
    ) -> None:
        if retry_initial <= 0 or retry_max < retry_initial:
            raise ValueError("need 0 < retry_initial <= retry_max")
        self.display = display
        self._encoder = display.make_encoder()
        self._on_error = on_error
        self._retry_initial = retry_initial
        self._retry_max = retry_max
        self._open_timeout = open_timeout
        self._cond = threading.Condition()
        self._pending: str | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._port: Any = None  # serial.SerialBase, only touched by the worker thread
        self.last_error: str | None = None
        self.frames_sent = 0

    # -- caller side -------------------------------------------------------------------------

    def start(self) -> LedDriver:
        with self._cond:
            if self._thread is not None:
                return self
            self._stopping = False
            self._thread = threading.Thread(
                target=self._run, name=f"led-{self.display.port}", daemon=True
            )
            self._thread.start()
        return self

    def show(self, text: str) -> None:
        """Queue ``text`` for the display, replacing any text not yet sent. Returns at once."""
        with self._cond:
            self._pending = text
            self._cond.notify_all()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the worker and close the port; waits at most about ``timeout`` seconds."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("LED display %s: worker still busy after stop", self.display.port)

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def __enter__(self) -> LedDriver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- worker side -------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = Backoff(self._retry_initial, self._retry_max)
        try:
            while True:
                with self._cond:
                    while self._pending is None and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    text = self._pending
                    self._pending = None
                assert text is not None
                try:
                    self._send(self._encoder.encode(self.display.address, text))
                except Exception as exc:  # serial, OS and socket errors alike
                    self._close()
                    self._report(exc)
                    with self._cond:
                        if self._pending is None:
                            self._pending = text  # retry it unless something newer came
                        # sleep through the backoff; only stop() cuts it short
                        self._cond.wait_for(lambda: self._stopping, timeout=backoff.next())
                else:
                    if self.last_error is not None:
                        log.info("LED display %s: working again", self.display.port)
                        self.last_error = None
                    backoff.reset()
        finally:
            self._close()

    def _send(self, frame: bytes) -> None:
        if self._port is None:
            self._port = serial.serial_for_url(
                self.display.port,
                baudrate=self.display.baudrate,
                timeout=self._open_timeout,
                write_timeout=self.display.write_timeout,
            )
        written = self._port.write(frame)
        if written is not None and written != len(frame):
            raise OSError(f"wrote {written} of {len(frame)} bytes")
        self._port.flush()
        self.frames_sent += 1

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:  # closing a vanished device may fail too
                log.debug("LED display %s: close failed", self.display.port, exc_info=True)

    def _report(self, exc: BaseException) -> None:
        message = (
            f"LED display {self.display.port} (address {self.display.address}) "
            f"is not responding: {exc}"
        )
        if message != self.last_error:
            log.warning("%s; retrying", message)
        else:
            log.debug("%s; retrying", message)
        self.last_error = message
        if self._on_error is not None:
            try:
                self._on_error(message)
            except Exception:
                log.exception("LED display %s: on_error callback failed", self.display.port)
