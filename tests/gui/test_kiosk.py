"""The kiosk against a real server: choose, get a number, print it (or not), check in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from counter_app.hardware.printer import PrinterSettings
from counter_app.hardware.ticket_layout import ticket_commands, to_bytes
from counter_app.schemas.tickets import TicketOut
from counter_app.views.kiosk.printing import ticket_labels, ticket_print
from counter_app.views.kiosk.widgets import min_target_px
from counter_app.views.kiosk.window import KioskWindow
from tests.conftest import Running
from tests.gui.conftest import UseLanguage
from tests.gui.kiosk_helpers import PUBLIC_URL, kiosk_settings, kiosk_window
from tests.gui.waits import WAIT_MS
from tests.support.golden import Golden
from tests.support.printer_listener import PrinterListener
from tests.support.queue_ops import issue, ok, set_state


def open_kiosk(
    qtbot: QtBot, running: Running, tmp_path: Path, printer: PrinterSettings | None = None
) -> KioskWindow:
    settings = kiosk_settings(tmp_path, printer)
    return kiosk_window(qtbot, running.server.url, running.office.kiosk_token, settings)


def open_loket(running: Running, number: int) -> None:
    set_state(running.login(f"petugas{number}"), running.office.counters[number], "open")


def service_button_enabled(window: KioskWindow, running: Running, prefix: str) -> bool:
    button = window.start_page.buttons.get(running.office.services[prefix])
    return button is not None and button.isEnabled()


def issued_today(running: Running, prefix: str) -> int:
    snap = ok(running.kiosk.get(f"/api/v1/branches/{running.office.branch_id}/snapshot"))
    return next(q["issued_today"] for q in snap["services"] if q["service"]["prefix"] == prefix)


def test_closed_services_show_why_and_open_live(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    buttons = window.start_page.buttons
    assert len(buttons) == 4 and not any(b.isEnabled() for b in buttons.values())
    assert all("no counter is open" in b.full_text() for b in buttons.values())
    open_loket(running_sqlite, 1)  # Loket 1 serves A only
    qtbot.waitUntil(lambda: service_button_enabled(window, running_sqlite, "A"), timeout=WAIT_MS)
    assert not service_button_enabled(window, running_sqlite, "B")
    assert "\n" not in window.start_page.buttons[running_sqlite.office.services["A"]].full_text()


def test_a_used_up_quota_shows_on_the_service(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    admin = running_sqlite.login("admin")
    quota = ok(
        admin.post(
            "/api/v1/services",
            {
                "branch_id": running_sqlite.office.branch_id,
                "prefix": "E",
                "name": "Legalisir",
                "daily_quota": 1,
            },
        ),
        201,
    )
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    qtbot.waitUntil(lambda: quota["id"] in window.start_page.buttons, timeout=WAIT_MS)
    issue(running_sqlite.kiosk, quota["id"])
    qtbot.waitUntil(
        lambda: "quota is used up" in window.start_page.buttons[quota["id"]].full_text(),
        timeout=WAIT_MS,
    )
    assert not window.start_page.buttons[quota["id"]].isEnabled()


def test_service_priority_ticket_printed_over_the_network(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    open_loket(running_sqlite, 1)
    with PrinterListener() as printer:
        settings = PrinterSettings(connection="network", target=printer.target, timeout=2.0)
        window = open_kiosk(qtbot, running_sqlite, tmp_path, settings)
        qtbot.waitUntil(
            lambda: service_button_enabled(window, running_sqlite, "A"), timeout=WAIT_MS
        )
        window.start_page.buttons[running_sqlite.office.services["A"]].click()
        assert window.pages.currentWidget() is window.priority_page
        lansia = window.priority_page.buttons
        lansia_id = next(k for k in lansia if k is not None)
        lansia[lansia_id].click()
        lansia[lansia_id].click()  # a double tap: still one ticket
        qtbot.waitUntil(lambda: window.ticket_page.ticket is not None, timeout=WAIT_MS)
        ticket = window.ticket_page.ticket
        assert ticket is not None and ticket.number == "A-001" and ticket.priority
        assert window.ticket_page.number.text() == "A-001"
        assert window.ticket_page.qr.content == f"{PUBLIC_URL}/t/{ticket.code}"
        qtbot.waitUntil(
            lambda: "take your printed ticket" in window.ticket_page.print_status.text(),
            timeout=WAIT_MS,
        )
        assert printer.closed.wait(5)
    expected = to_bytes(
        ticket_commands(
            ticket_print(
                ticket, window.controller.board, PUBLIC_URL, window.controller.priority_classes
            ),
            ticket_labels(),
        ),
        native_qr=True,
    )
    assert printer.received == [b"\x10\x04\x04" + expected + b"\x10\x04\x01"]
    assert b"Lansia" in expected and ticket.code.encode() in expected
    assert issued_today(running_sqlite, "A") == 1
    window.ticket_page.done_button.click()
    assert window.pages.currentWidget() is window.start_page


def test_a_printer_fault_mid_ticket_keeps_the_ticket_and_tells_the_supervisors(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    open_loket(running_sqlite, 1)
    with PrinterListener(close_after=100) as printer:
        settings = PrinterSettings(connection="network", target=printer.target, timeout=2.0)
        window = open_kiosk(qtbot, running_sqlite, tmp_path, settings)
        qtbot.waitUntil(
            lambda: service_button_enabled(window, running_sqlite, "A"), timeout=WAIT_MS
        )
        window.start_page.buttons[running_sqlite.office.services["A"]].click()
        window.priority_page.buttons[None].click()
        qtbot.waitUntil(
            lambda: "printer has a problem" in window.ticket_page.print_status.text(),
            timeout=WAIT_MS,
        )
    assert window.ticket_page.number.text() == "A-001"  # the number stays on screen
    assert window.ticket_page.again_button.isVisibleTo(window)
    board = window.controller.board
    assert board is not None
    # The fault went to the server's journal and came back on the live stream.
    qtbot.waitUntil(lambda: len(board.device_faults) == 1, timeout=WAIT_MS)
    fault = board.device_faults[0]
    assert fault.kind == "device.fault"
    assert fault.data["kind"] == "printer" and fault.data["device_name"] == "Kiosk lobi"
    assert printer.target in str(fault.data["message"])


def test_no_printer_set_up_still_shows_the_ticket(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    open_loket(running_sqlite, 2)
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    qtbot.waitUntil(lambda: service_button_enabled(window, running_sqlite, "B"), timeout=WAIT_MS)
    window.start_page.buttons[running_sqlite.office.services["B"]].click()
    window.priority_page.buttons[None].click()
    qtbot.waitUntil(lambda: window.ticket_page.number.text() == "B-001", timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: "prints no tickets" in window.ticket_page.print_status.text(), timeout=WAIT_MS
    )
    assert not window.ticket_page.again_button.isVisibleTo(window)


def test_the_kiosks_ticket_bytes_match_the_golden_file(
    qtbot: QtBot,
    running_sqlite: Running,
    tmp_path: Path,
    golden: Golden,
    use_language: UseLanguage,
) -> None:
    """A fixed ticket (as the server would answer) through the kiosk's own printing path, in
    the kiosk's default language, to a device file."""
    use_language("id")
    device = tmp_path / "lp0"
    device.touch()
    printer = PrinterSettings(connection="file", target=str(device), profile="TM-T88V")
    window = open_kiosk(qtbot, running_sqlite, tmp_path, printer)
    at = datetime(2025, 6, 2, 7, 5, 30, tzinfo=UTC)
    ticket = TicketOut(
        id=7, code="K7M2Q9XA", number="A-007", prefix="A", sequence=7,
        branch_id=running_sqlite.office.branch_id, service_id=running_sqlite.office.services["A"],
        service_name="Perekaman KTP-el", service_day="2025-06-02", state="waiting",
        source="kiosk", priority=False, priority_class_id=None, counter_id=None,
        counter_number=None, counter_name=None, target_counter_id=None, officer_id=None,
        issued_at=at, enqueued_at=at, called_at=None, started_at=None, closed_at=None,
        call_count=0, transferred_from_id=None, note="", ahead=3, wait_seconds=841,
    )  # fmt: skip
    window.show_ticket(ticket)
    qtbot.waitUntil(
        lambda: window.ticket_page.print_status.text().startswith("Silakan"), timeout=WAIT_MS
    )
    data = device.read_bytes()
    assert b"NOMOR ANTREAN" in data and b"Disdukcapil Kota Contoh" in data
    golden.check("ticket_kiosk_id.bin", data)
    # With the server's range the screen shows the range (in Indonesian), not one number.
    ranged = ticket.model_copy(update={"wait_low_seconds": 600, "wait_high_seconds": 1500})
    window.ticket_page.show_ticket(ranged, "Asia/Jakarta", "http://192.168.1.10:8750/t/K7M2Q9XA")
    assert "Perkiraan waktu tunggu: sekitar 10–25 menit" in window.ticket_page.details.text()


def test_buttons_are_big_enough_to_touch(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    size = min_target_px()
    assert size >= 57  # 15 mm at 96 dpi, the least a screen may report
    buttons = [
        *window.start_page.buttons.values(),
        *window.priority_page.buttons.values(),
        *window.check_in_page.keypad.keys.values(),
        window.start_page.check_in,
        window.ticket_page.done_button,
    ]
    assert buttons and all(b.minimumHeight() >= size for b in buttons)
    assert all(b.minimumWidth() >= size for b in buttons)


def test_left_alone_it_returns_to_the_start(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    window.settings.idle_seconds = 30
    window.start_page.check_in.click()
    assert window.pages.currentWidget() is window.check_in_page
    assert window.idle_timer.isActive() and window.idle_timer.interval() == 30_000
    window.check_in_page.keypad.keys["A"].click()
    assert window.check_in_page.code.text() == "A"
    window.idle_timer.timeout.emit()
    assert window.pages.currentWidget() is window.start_page
    assert window.check_in_page.code.text() == ""
