"""ESC/POS ticket printers through python-escpos: settings, connections, and a print worker.

``PrinterWorker.submit(commands)`` only queues the job and returns: a background thread opens
the printer, asks it for paper (where the connection can answer), sends the whole ticket, asks
again that it is still there, and closes it. Every job ends in exactly one :class:`PrintResult`
handed to ``on_result`` (on the worker's thread; a GUI hands it over to its own thread). A
failed ticket is not printed again by itself: the citizen already has the number on screen, and
half a ticket twice helps nobody; the kiosk offers "print again". Qt-free.

Connections (``PrinterSettings.connection``):

* ``usb`` — ``target`` ``VVVV:PPPP``, the vendor and product id in hex (``04b8:0202``).
* ``network`` — ``target`` ``host`` or ``host:port`` (raw TCP, port 9100 by default).
* ``serial`` — ``target`` ``/dev/ttyUSB0`` or ``COM3``, at ``baudrate`` (tested over a pty).
* ``file`` — ``target`` a device file such as ``/dev/usb/lp0`` (Linux's USB printer class).
* ``win32`` — ``target`` a Windows printer name (raw job through the spooler).
* ``none`` — no printer: every job ends at once as not printed (the ticket is on screen).

Status: USB, serial and network printers answer the real-time status request ``DLE EOT n``.
With ``status_checks`` on (the default for those), a printer that reports no paper gets no
ticket, one that does not answer counts as offline, and the answer after the ticket confirms it
arrived whole. A device file and the Windows spooler cannot answer, so there the checks are off.
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal

from escpos.capabilities import CAPABILITIES, get_profile
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER

from counter_app.hardware.ticket_layout import DEFAULT_COLUMNS, Command, to_bytes

log = logging.getLogger(__name__)

ConnectionKind = Literal["none", "usb", "network", "serial", "file", "win32"]
CONNECTIONS: tuple[ConnectionKind, ...] = ("none", "usb", "network", "serial", "file", "win32")
QrMode = Literal["auto", "native", "image"]
QR_MODES: tuple[QrMode, ...] = ("auto", "native", "image")
ANSWERING = frozenset({"usb", "network", "serial"})  # connections that can read status back
DEFAULT_PORT = 9100
MAX_QUEUED = 20

# Bits of the DLE EOT answers (ESC/POS): online status (n=1) and paper sensor (n=4).
OFFLINE_BIT = 0x08
PAPER_END_BITS = 0x60  # roll paper end sensor
PAPER_NEAR_END_BITS = 0x0C  # roll paper near-end sensor


def profile_names() -> list[str]:
    """The printer profiles python-escpos knows (``default``, ``TM-T88V``, ``POS-5890``, …)."""
    return sorted(CAPABILITIES["profiles"])


@dataclass(frozen=True)
class PrinterSettings:
    connection: ConnectionKind = "none"
    target: str = ""
    baudrate: int = 9600
    profile: str = "default"
    qr: QrMode = "auto"
    status_checks: bool = True  # only where the connection can answer (see module doc)
    timeout: float = 5.0  # seconds for connecting and for each status answer

    def __post_init__(self) -> None:
        if self.connection not in CONNECTIONS:
            raise ValueError(f"printer connection must be one of {', '.join(CONNECTIONS)}")
        if self.qr not in QR_MODES:
            raise ValueError(f"QR mode must be one of {', '.join(QR_MODES)}")
        if self.profile not in CAPABILITIES["profiles"]:
            raise ValueError(f"unknown printer profile {self.profile!r}")
        if self.baudrate <= 0:
            raise ValueError("baud rate must be positive")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.connection == "usb":
            usb_ids(self.target)
        elif self.connection == "network":
            host_port(self.target)
        elif self.connection in ("serial", "file") and not self.target.strip():
            raise ValueError(f"a {self.connection} printer needs a device (target)")

    @property
    def enabled(self) -> bool:
        return self.connection != "none"

    @property
    def checks_status(self) -> bool:
        return self.status_checks and self.connection in ANSWERING

    @property
    def native_qr(self) -> bool:
        """The printer draws the QR code itself (``GS ( k``), or it gets an image."""
        if self.qr == "auto":
            return bool(get_profile(self.profile).supports("qrCode"))
        return self.qr == "native"

    @property
    def columns(self) -> int:
        """Characters per line in font A, from the profile."""
        try:
            return int(get_profile(self.profile).get_columns("a"))
        except Exception:  # a profile without font data
            return DEFAULT_COLUMNS

    def describe(self) -> str:
        if self.connection == "none":
            return "no printer"
        return f"{self.connection} printer {self.target or '(default)'}".strip()


def usb_ids(target: str) -> tuple[int, int]:
    """``04b8:0202`` (or ``0x04b8:0x0202``) → (0x04b8, 0x0202); ValueError otherwise."""
    vendor, sep, product = target.strip().partition(":")
    try:
        if not sep:
            raise ValueError
        ids = int(vendor, 16), int(product, 16)
    except ValueError:
        raise ValueError(
            f"a USB printer is given as VENDOR:PRODUCT in hex, e.g. 04b8:0202, not {target!r}"
        ) from None
    if not all(0 < i <= 0xFFFF for i in ids):
        raise ValueError(f"USB ids must be 0001..FFFF, got {target!r}")
    return ids


def host_port(target: str) -> tuple[str, int]:
    """``host`` or ``host:port`` → (host, port); ValueError otherwise."""
    host, sep, port_text = target.strip().rpartition(":")
    if not sep:
        host, port_text = target.strip(), str(DEFAULT_PORT)
    host = host.strip("[]")
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(
            f"a network printer is given as host or host:port, not {target!r}"
        ) from None
    if not host or not 0 < port < 65536:
        raise ValueError(f"a network printer is given as host or host:port, not {target!r}")
    return host, port


def open_printer(settings: PrinterSettings) -> Any:
    """A connected python-escpos printer for ``settings``; raises when it cannot be reached."""
    profile = settings.profile
    match settings.connection:
        case "usb":
            from escpos.printer import Usb

            vendor, product = usb_ids(settings.target)
            printer: Any = Usb(
                vendor, product, timeout=int(settings.timeout * 1000), profile=profile
            )
        case "network":
            from escpos.printer import Network

            host, port = host_port(settings.target)
            printer = Network(host, port, timeout=settings.timeout, profile=profile)
            # Connected here rather than by Network.open, which leaks its socket when the
            # connection is refused.
            connection = socket.create_connection((host, port), timeout=settings.timeout)
            connection.settimeout(settings.timeout)
            printer.device = connection
            return printer
        case "serial":
            from escpos.printer import Serial

            printer = Serial(
                settings.target.strip(),
                baudrate=settings.baudrate,
                timeout=settings.timeout,
                profile=profile,
            )
        case "file":
            from escpos.printer import File

            printer = File(settings.target.strip(), profile=profile)
        case "win32":
            from escpos.printer import Win32Raw

            printer = Win32Raw(settings.target.strip(), profile=profile)
        case _:
            raise PrinterFault(FaultReason.NOT_CONFIGURED, "no printer is set up")
    printer.open()
    return printer


class FaultReason(StrEnum):
    NOT_CONFIGURED = "not_configured"
    UNREACHABLE = "unreachable"  # cannot open: unplugged, switched off, wrong address
    NO_PAPER = "no_paper"
    OFFLINE = "offline"  # answers "offline" (cover open, paper out, error)
    NO_ANSWER = "no_answer"  # does not answer a status request
    WRITE_FAILED = "write_failed"  # the connection broke while sending


class PrinterFault(Exception):  # noqa: N818 (a condition of the device, not a bug)
    def __init__(self, reason: FaultReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class PrintResult:
    job: int
    label: str
    printed: bool
    reason: FaultReason | None = None
    message: str = ""  # English, for the log and the supervisors; the kiosk words its own
    paper_low: bool = False


ResultCallback = Callable[[PrintResult], None]
Opener = Callable[[PrinterSettings], Any]


@dataclass
class _Job:
    number: int
    label: str
    commands: Sequence[Command]
    settings: PrinterSettings


def _status_byte(printer: Any, request: bytes) -> int:
    """One real-time status answer; PrinterFault(NO_ANSWER) if none comes."""
    try:
        answer = printer.query_status(request)
    except PrinterFault:
        raise
    except Exception as exc:
        raise PrinterFault(FaultReason.NO_ANSWER, f"no answer to a status request: {exc}") from exc
    if not answer:
        raise PrinterFault(FaultReason.NO_ANSWER, "the printer closed the connection or is silent")
    return int(answer[0])


class PrinterWorker:
    """Prints queued jobs one at a time on a background thread; never blocks the caller."""

    def __init__(
        self,
        settings: PrinterSettings,
        on_result: ResultCallback | None = None,
        *,
        opener: Opener = open_printer,
    ) -> None:
        self._settings = settings
        self._on_result = on_result
        self._opener = opener
        self._queue: queue.Queue[_Job | None] = queue.Queue(MAX_QUEUED)
        self._lock = threading.Lock()
        self._numbers = 0
        self._thread: threading.Thread | None = None
        self.last_fault: str | None = None

    # -- caller side -------------------------------------------------------------------------

    @property
    def settings(self) -> PrinterSettings:
        return self._settings

    def configure(self, settings: PrinterSettings) -> None:
        """New settings for the jobs submitted from now on."""
        with self._lock:
            self._settings = settings

    def start(self) -> PrinterWorker:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="printer", daemon=True)
                self._thread.start()
        return self

    def submit(self, commands: Sequence[Command], label: str = "ticket") -> int:
        """Queue a job; returns its number at once. Its result comes through ``on_result``."""
        with self._lock:
            self._numbers += 1
            job = _Job(self._numbers, label, list(commands), replace(self._settings))
        if not job.settings.enabled:
            self._finish(
                PrintResult(job.number, label, False, FaultReason.NOT_CONFIGURED, "no printer")
            )
            return job.number
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self._finish(
                PrintResult(
                    job.number,
                    label,
                    False,
                    FaultReason.NO_ANSWER,
                    f"{MAX_QUEUED} jobs are already waiting for the printer",
                )
            )
        return job.number

    def stop(self, timeout: float = 3.0) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        while True:  # make room for the stop mark: queued jobs are dropped
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("printer: worker still busy after stop")

    # -- worker side -------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._finish(self.print_now(job.number, job.label, job.commands, job.settings))

    def print_now(
        self, number: int, label: str, commands: Sequence[Command], settings: PrinterSettings
    ) -> PrintResult:
        """Print one job on the calling thread (the worker's); never raises."""
        try:
            # Render first: a layout problem must not leave half a ticket in the printer.
            data = to_bytes(commands, profile=settings.profile, native_qr=settings.native_qr)
        except Exception as exc:
            log.exception("printer: could not lay out %s", label)
            return PrintResult(number, label, False, FaultReason.WRITE_FAILED, str(exc))
        printer: Any = None
        paper_low = False
        try:
            try:
                printer = self._opener(settings)
            except PrinterFault:
                raise
            except Exception as exc:
                raise PrinterFault(FaultReason.UNREACHABLE, str(exc) or type(exc).__name__) from exc
            if settings.checks_status:
                paper = _status_byte(printer, RT_STATUS_PAPER)
                if paper & PAPER_END_BITS == PAPER_END_BITS:
                    raise PrinterFault(FaultReason.NO_PAPER, "the printer is out of paper")
                paper_low = paper & PAPER_NEAR_END_BITS == PAPER_NEAR_END_BITS
            try:
                printer._raw(data)
                flush = getattr(printer, "flush", None)
                if callable(flush):
                    flush()
            except Exception as exc:
                raise PrinterFault(
                    FaultReason.WRITE_FAILED, f"sending the ticket failed: {exc}"
                ) from exc
            if settings.checks_status:
                online = _status_byte(printer, RT_STATUS_ONLINE)
                if online & OFFLINE_BIT:
                    raise PrinterFault(
                        FaultReason.OFFLINE, "the printer went offline (cover open or paper out?)"
                    )
        except PrinterFault as fault:
            return PrintResult(number, label, False, fault.reason, self._message(settings, fault))
        finally:
            _close(printer)
        message = f"{settings.describe()}: paper nearly out" if paper_low else ""
        return PrintResult(number, label, True, None, message, paper_low)

    @staticmethod
    def _message(settings: PrinterSettings, fault: PrinterFault) -> str:
        return f"{settings.describe()}: {fault.detail}"

    def _finish(self, result: PrintResult) -> None:
        if result.printed:
            if self.last_fault is not None:
                log.info("printer: working again")
                self.last_fault = None
            if result.paper_low:
                log.warning("printer: %s", result.message)
        elif result.reason is not FaultReason.NOT_CONFIGURED:
            if result.message != self.last_fault:
                log.warning("printer: %s not printed: %s", result.label, result.message)
            self.last_fault = result.message
        if self._on_result is not None:
            try:
                self._on_result(result)
            except Exception:
                log.exception("printer: on_result callback failed")


def _close(printer: Any) -> None:
    if printer is None:
        return
    try:
        printer.close()
    except Exception:  # closing a vanished device may fail too
        log.debug("printer: close failed", exc_info=True)
