"""The print worker against a local TCP listener standing in for a network printer, and
against device files: exact bytes, paper status, faults, and a caller that never waits."""

from __future__ import annotations

import os
import queue
import select
import sys
import threading
import time
import tty
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counter_app.hardware.printer import (
    FaultReason,
    PrinterSettings,
    PrinterWorker,
    PrintResult,
    host_port,
    usb_ids,
)
from counter_app.hardware.ticket_layout import TicketPrint, ticket_commands, to_bytes
from tests.support.printer_listener import (
    OFFLINE,
    PAPER_LOW,
    PAPER_OUT,
    PrinterListener,
)

PAPER_QUERY = b"\x10\x04\x04"
ONLINE_QUERY = b"\x10\x04\x01"
TICKET = TicketPrint(
    office="Disdukcapil Kota Contoh",
    service="Perekaman KTP-el",
    number="A-007",
    issued_at=datetime(2025, 6, 2, 7, 5, tzinfo=UTC),
    timezone="Asia/Jakarta",
    status_url="http://127.0.0.1:8750/t/K7M2Q9XA",
    ahead=0,
    wait_seconds=120,
)
COMMANDS = ticket_commands(TICKET)


class Results:
    def __init__(self) -> None:
        self.queue: queue.Queue[PrintResult] = queue.Queue()

    def __call__(self, result: PrintResult) -> None:
        self.queue.put(result)

    def next(self, timeout: float = 15.0) -> PrintResult:
        return self.queue.get(timeout=timeout)


def network(target: str, **kw: object) -> PrinterSettings:
    options: dict[str, object] = {"timeout": 2.0, **kw}
    return PrinterSettings(connection="network", target=target, **options)  # type: ignore[arg-type]


def run_one(settings: PrinterSettings) -> PrintResult:
    results = Results()
    worker = PrinterWorker(settings, results).start()
    try:
        worker.submit(COMMANDS)
        return results.next()
    finally:
        worker.stop()


def test_a_network_printer_receives_exactly_the_ticket_between_two_status_checks() -> None:
    with PrinterListener() as printer:
        result = run_one(network(printer.target))
        assert printer.closed.wait(5)
    assert result.printed and result.reason is None and not result.paper_low
    expected = to_bytes(COMMANDS, profile="default", native_qr=True)
    assert printer.received == [PAPER_QUERY + expected + ONLINE_QUERY]


def test_an_image_qr_and_no_status_checks_send_only_the_ticket() -> None:
    with PrinterListener() as printer:
        result = run_one(network(printer.target, qr="image", status_checks=False))
        assert printer.closed.wait(5)
    assert result.printed
    assert printer.received == [to_bytes(COMMANDS, profile="default", native_qr=False)]


def test_out_of_paper_prints_nothing_and_says_so() -> None:
    with PrinterListener(paper=PAPER_OUT) as printer:
        result = run_one(network(printer.target))
        assert printer.closed.wait(5)
    assert not result.printed and result.reason is FaultReason.NO_PAPER
    assert "out of paper" in result.message
    assert printer.received == [PAPER_QUERY]


def test_paper_nearly_out_still_prints_and_warns() -> None:
    with PrinterListener(paper=PAPER_LOW) as printer:
        result = run_one(network(printer.target))
    assert result.printed and result.paper_low and "nearly out" in result.message


def test_a_printer_that_goes_offline_is_a_fault() -> None:
    with PrinterListener(online=OFFLINE) as printer:
        result = run_one(network(printer.target))
    assert not result.printed and result.reason is FaultReason.OFFLINE


def test_a_silent_printer_is_a_fault_after_the_timeout() -> None:
    with PrinterListener(paper=None) as printer:
        result = run_one(network(printer.target, timeout=0.5))
    assert not result.printed and result.reason is FaultReason.NO_ANSWER


def test_a_connection_dropped_halfway_through_the_ticket_is_a_fault() -> None:
    with PrinterListener(close_after=100) as printer:
        result = run_one(network(printer.target))
        assert printer.closed.wait(5)
    assert not result.printed
    assert result.reason in (FaultReason.WRITE_FAILED, FaultReason.NO_ANSWER)
    assert len(printer.received[0]) == len(PAPER_QUERY) + 100  # it got half a ticket


def test_nobody_listening_is_unreachable_and_the_caller_never_waits() -> None:
    with PrinterListener() as printer:
        target = printer.target  # a port that is free once the listener is gone
    results = Results()
    worker = PrinterWorker(network(target), results).start()
    try:
        started = time.monotonic()
        first, second = worker.submit(COMMANDS), worker.submit(COMMANDS, "test page")
        assert time.monotonic() - started < 0.5  # submit only queues
        assert second == first + 1
        one, two = results.next(), results.next()
    finally:
        worker.stop()
    assert (one.job, two.job) == (first, second) and two.label == "test page"
    assert one.reason is FaultReason.UNREACHABLE and not one.printed
    assert worker.last_fault == two.message and target in two.message


def test_a_device_file_gets_the_bytes(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    result = run_one(PrinterSettings(connection="file", target=str(device), profile="TM-T88V"))
    assert result.printed
    assert device.read_bytes() == to_bytes(COMMANDS, profile="TM-T88V", native_qr=True)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_a_device_file_that_fails_to_write_is_a_fault() -> None:
    result = run_one(PrinterSettings(connection="file", target="/dev/full"))
    assert not result.printed and result.reason is FaultReason.WRITE_FAILED
    assert "No space left" in result.message


def test_a_missing_device_file_is_unreachable(tmp_path: Path) -> None:
    result = run_one(PrinterSettings(connection="file", target=str(tmp_path / "no" / "lp0")))
    assert not result.printed and result.reason is FaultReason.UNREACHABLE


def test_no_printer_set_up_answers_at_once() -> None:
    results = Results()
    worker = PrinterWorker(PrinterSettings(), results)  # not even started
    worker.submit(COMMANDS)
    result = results.next(timeout=0.1)
    assert result.reason is FaultReason.NOT_CONFIGURED and not result.printed


def test_settings_are_checked() -> None:
    assert usb_ids("04b8:0202") == (0x04B8, 0x0202) == usb_ids("0x04b8:0x0202")
    assert host_port("10.0.0.5") == ("10.0.0.5", 9100)
    assert host_port("printer.lan:9101") == ("printer.lan", 9101)
    for bad in (
        {"connection": "usb", "target": "epson"},
        {"connection": "usb", "target": "0:0202"},
        {"connection": "network", "target": "host:port"},
        {"connection": "network", "target": ""},
        {"connection": "serial", "target": " "},
        {"connection": "parallel", "target": "x"},
        {"profile": "no-such-printer"},
        {"qr": "sometimes"},
    ):
        with pytest.raises(ValueError):
            PrinterSettings(**bad)  # type: ignore[arg-type]
    assert PrinterSettings(profile="POS-5890").columns == 32
    assert not PrinterSettings(profile="POS-5890").native_qr
    assert PrinterSettings(profile="POS-5890", qr="native").native_qr
    assert not PrinterSettings(connection="file", target="/dev/usb/lp0").checks_status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pty stand-in needs Linux")
def test_a_serial_printer_gets_the_bytes_over_a_pty() -> None:
    """A serial (RS-232) printer, played by a pseudo-terminal: the ticket's exact bytes."""
    master, slave = os.openpty()
    tty.setraw(master)
    received = bytearray()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            readable, _, _ = select.select([master], [], [], 0.05)
            if readable:
                received.extend(os.read(master, 4096))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        settings = PrinterSettings(
            connection="serial",
            target=os.ttyname(slave),
            baudrate=19200,
            profile="TM-T88V",
            status_checks=False,
        )
        result = run_one(settings)
        expected = to_bytes(COMMANDS, profile="TM-T88V", native_qr=True)
        deadline = time.monotonic() + 5
        while len(received) < len(expected) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert result.printed, result
        assert bytes(received) == expected
    finally:
        stop.set()
        reader.join(2)
        os.close(master)
        os.close(slave)
