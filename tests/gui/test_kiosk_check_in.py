"""Booking check-in at the kiosk: scanner or keypad, and every answer the contract allows.

The check-in endpoint belongs to online booking, which is built elsewhere; until it is in
this branch, FAKE_BOOKING_SERVER below stands in for it: a tiny real HTTP server that answers
``POST /api/v1/bookings/check-in`` exactly as the agreed contract says (a fake of another
team's server, nothing more). One test runs against the real server of this branch, which
does not have the endpoint yet, and shows the kiosk says so plainly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.views.kiosk.admin import PinDialog
from counter_app.views.kiosk.booking import booking_code
from counter_app.views.kiosk.controller import KioskSetup
from counter_app.views.kiosk.window import KioskWindow
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.gui.conftest import UseLanguage
from tests.gui.kiosk_helpers import kiosk_settings, kiosk_window
from tests.gui.waits import WAIT_MS
from tests.support.booking import book
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server

AT = datetime(2025, 6, 2, 7, 5, tzinfo=UTC).isoformat()
TICKET = {
    "id": 41, "code": "Q2W3E4R5", "number": "C-012", "prefix": "C", "sequence": 12,
    "branch_id": 1, "service_id": 3, "service_name": "Akta Kelahiran",
    "service_day": "2025-06-02", "state": "waiting", "source": "online", "priority": False,
    "priority_class_id": None, "counter_id": None, "counter_number": None,
    "counter_name": None, "target_counter_id": None, "officer_id": None, "issued_at": AT,
    "enqueued_at": AT, "called_at": None, "started_at": None, "closed_at": None,
    "call_count": 0, "transferred_from_id": None, "note": "", "ahead": 2,
    "wait_seconds": 600,
}  # fmt: skip
# code typed -> (status, body) of the contract
ANSWERS: dict[str, tuple[int, dict[str, Any]]] = {
    "ACE347": (201, TICKET),
    "NKNWN3": (404, {"error": "booking_not_found", "message": "No booking with that code."}),
    "EAR734": (409, {"error": "booking_too_early", "message": "Too early."}),
    "TATE34": (409, {"error": "booking_too_late", "message": "Too late."}),
    "CANCE4": (409, {"error": "booking_cancelled", "message": "Cancelled."}),
    "TWACE3": (409, {"error": "booking_already_checked_in", "message": "Already."}),
}
# The table of codes' Indonesian (core/error_codes.py), which the catalogue gives the kiosk.
INDONESIAN = {
    "NKNWN3": "Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi.",
    "EAR734": "Belum waktunya check-in untuk pemesanan ini. Silakan kembali mendekati jam "
    "pemesanan Anda.",
    "TATE34": "Waktu pemesanan ini sudah lewat. Silakan ambil nomor antrean biasa.",
    "CANCE4": "Pemesanan ini sudah dibatalkan.",
    "TWACE3": "Pemesanan ini sudah check-in.",
}


class FakeBookingServer:
    """FAKE_BOOKING_SERVER: the booking check-in contract, answered from ANSWERS."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any], str | None]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((self.path, body, self.headers.get("Idempotency-Key")))
                status, answer = ANSWERS.get(
                    body.get("code", ""),
                    (404, {"error": "booking_not_found", "message": "No booking."}),
                )
                if self.path != "/api/v1/bookings/check-in":
                    status, answer = 404, {"error": "not_found", "message": "Nothing here."}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def fake_booking_server() -> Iterator[FakeBookingServer]:
    fake = FakeBookingServer()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def kiosk_on_fake(
    qtbot: QtBot, fake_booking_server: FakeBookingServer, tmp_path: Path
) -> KioskWindow:
    setup = KioskSetup(branch_id=1, device_id=1, priority_classes=[])
    window = kiosk_window(
        qtbot, fake_booking_server.url, "token", kiosk_settings(tmp_path), setup, start=False
    )
    window.start_page.check_in.click()
    return window


def type_on_keypad(window: KioskWindow, code: str) -> None:
    for char in code:
        window.check_in_page.keypad.keys[char].click()


@pytest.mark.parametrize("code", sorted(INDONESIAN))
def test_each_refusal_gets_a_clear_indonesian_message(
    qtbot: QtBot,
    kiosk_on_fake: KioskWindow,
    fake_booking_server: FakeBookingServer,
    use_language: UseLanguage,
    code: str,
) -> None:
    use_language("id")
    window = kiosk_on_fake
    type_on_keypad(window, code)
    window.check_in_page.submit_button.click()
    qtbot.waitUntil(lambda: window.check_in_page.message.text() != "", timeout=WAIT_MS)
    assert window.check_in_page.message.text() == INDONESIAN[code]
    assert window.pages.currentWidget() is window.check_in_page
    [(path, body, key)] = fake_booking_server.requests
    assert (path, body) == ("/api/v1/bookings/check-in", {"code": code}) and key


def test_a_scanned_booking_becomes_a_ticket_on_screen(
    qtbot: QtBot, kiosk_on_fake: KioskWindow, fake_booking_server: FakeBookingServer
) -> None:
    window = kiosk_on_fake
    window.go_start()
    window.setFocus()
    # A scanner types the QR's content and Enter; here the QR holds a whole address.
    qtbot.keyClicks(window, "https://antrean.example.id/b/ace347")
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ticket_page.number.text() == "C-012", timeout=WAIT_MS)
    assert fake_booking_server.requests[0][1] == {"code": "ACE347"}
    assert "Akta Kelahiran" in window.ticket_page.service.text()


def test_an_empty_code_is_not_sent(
    kiosk_on_fake: KioskWindow, fake_booking_server: FakeBookingServer
) -> None:
    kiosk_on_fake.check_in_page.submit_button.click()
    assert kiosk_on_fake.check_in_page.message.text() == "Type the booking code first."
    assert fake_booking_server.requests == []


def test_a_booking_checks_in_at_the_kiosk_against_the_real_server(
    qtbot: QtBot, sqlite_office_template: OfficeTemplate, tmp_path: Path, use_language: UseLanguage
) -> None:
    """The real check-in: an unknown code is explained; a booked one becomes a ticket."""
    use_language("id")
    clock = FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # Monday 08:00 WIB
    office = sqlite_office_template.office
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), clock=clock) as server:
        booked = book(Api(server.url), office.services["A"], "2026-03-02T03:00:00Z", 1)
        clock.now = datetime(2026, 3, 2, 2, 45, tzinfo=UTC)  # 09:45, check-in is open
        window = kiosk_window(qtbot, server.url, office.kiosk_token, kiosk_settings(tmp_path))
        window.start_page.check_in.click()
        type_on_keypad(window, "NKNWN3")
        window.check_in_page.submit_button.click()
        qtbot.waitUntil(lambda: window.check_in_page.message.text() != "", timeout=WAIT_MS)
        assert window.check_in_page.message.text() == INDONESIAN["NKNWN3"]
        assert window.check_in_page.submit_button.isEnabled()
        window.go_start()
        window.start_page.check_in.click()
        type_on_keypad(window, booked["code"])
        window.check_in_page.submit_button.click()
        qtbot.waitUntil(lambda: window.ticket_page.number.text() == "A-001", timeout=WAIT_MS)


def test_booking_codes_are_normalised() -> None:
    assert booking_code(" k7m2-q9xa \n") == "K7M2-Q9XA"
    assert booking_code("https://x.id/b/AbC123?lang=id#top") == "ABC123"
    assert booking_code("http://x.id/b/ABC123/") == "ABC123"
    assert booking_code("<script>") == "SCRIPT"
    assert booking_code("///") == ""


def test_only_the_admin_pin_leaves_a_locked_kiosk(
    qtbot: QtBot, fake_booking_server: FakeBookingServer, tmp_path: Path
) -> None:
    settings = kiosk_settings(tmp_path)
    settings.set_pin("246813")
    stored = str(settings.qt.value("kiosk/pin_hash"))
    assert stored.startswith("$argon2") and "246813" not in stored
    setup = KioskSetup(branch_id=1, device_id=1, priority_classes=[])
    window = kiosk_window(qtbot, fake_booking_server.url, "t", settings, setup, start=False)
    window.kiosk_mode = True
    window.close()
    assert window.isVisible()  # Alt+F4 does nothing on a locked kiosk
    dialog = PinDialog(settings, window)
    qtbot.addWidget(dialog)
    dialog.field.setText("1234")
    dialog.check()
    assert dialog.result() != PinDialog.DialogCode.Accepted
    assert dialog.error.text() == "Wrong PIN." and dialog.field.text() == ""
    dialog.field.setText("246813")
    dialog.check()
    assert dialog.result() == PinDialog.DialogCode.Accepted
    assert not settings.check_pin("") and not settings.check_pin("246814")
    with pytest.raises(ValueError):
        settings.set_pin("12a4")
