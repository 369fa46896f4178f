"""The ticket layout (pure) and its exact bytes against golden files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from counter_app.hardware.ticket_layout import (
    Cut,
    Line,
    QrCode,
    Style,
    TicketPrint,
    check_page_commands,
    local_date_time,
    ticket_commands,
    to_bytes,
    wait_minutes,
)
from tests.support.golden import Golden

# Monday 2 June 2025, 07:05 UTC = 14.05 WIB.
TICKET = TicketPrint(
    office="Disdukcapil Kota Contoh",
    address="Jl. Merdeka No. 1, Jakarta",
    service="Perekaman KTP-el",
    number="A-007",
    issued_at=datetime(2025, 6, 2, 7, 5, 30, tzinfo=UTC),
    timezone="Asia/Jakarta",
    status_url="http://192.168.1.10:8750/t/K7M2Q9XA",
    priority_class="Lansia",
    ahead=3,
    wait_seconds=841,
)


def lines(commands: list[object]) -> list[str]:
    return [c.text for c in commands if isinstance(c, Line)]


def test_the_ticket_says_everything_in_order() -> None:
    commands = ticket_commands(TICKET)
    assert lines(commands) == [
        "Disdukcapil Kota Contoh",
        "Jl. Merdeka No. 1, Jakarta",
        "NOMOR ANTREAN",
        "A-007",
        "Perekaman KTP-el",
        "Prioritas: Lansia",
        "Tanggal: Senin, 2 Juni 2025",
        "Jam: 14.05 WIB",
        "Antrean di depan Anda: 3",
        "Perkiraan waktu tunggu: 15 menit",
        "Pindai untuk melihat status antrean:",
        "http://192.168.1.10:8750/t/K7M2Q9XA",
        "Mohon menunggu panggilan. Terima kasih.",
    ]
    number_style = commands[commands.index(Line("A-007")) - 1]
    assert number_style == Style(align="center", bold=True, width=4, height=4)
    assert QrCode("http://192.168.1.10:8750/t/K7M2Q9XA") in commands
    assert commands[-1] == Cut()


def test_the_ticket_prints_the_range_when_the_server_gives_one() -> None:
    ranged = replace(TICKET, wait_low_seconds=600, wait_high_seconds=1500)
    waits = [line for line in lines(ticket_commands(ranged)) if line.startswith("Perkiraan")]
    assert waits == ["Perkiraan waktu tunggu: 10-25 menit"]
    # A range that rounds to one minute still reads as a range, never as a promise.
    short = replace(TICKET, wait_low_seconds=0, wait_high_seconds=0)
    waits = [line for line in lines(ticket_commands(short)) if line.startswith("Perkiraan")]
    assert waits == ["Perkiraan waktu tunggu: 0-1 menit"]


def test_dates_are_indonesian_in_the_branch_zone() -> None:
    moment = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    assert local_date_time(moment, "Asia/Jakarta") == ("Kamis, 1 Januari 2026", "00.30 WIB")
    assert local_date_time(moment, "Asia/Makassar") == ("Kamis, 1 Januari 2026", "01.30 WITA")
    assert local_date_time(moment, "Asia/Jayapura") == ("Kamis, 1 Januari 2026", "02.30 WIT")
    with pytest.raises(ValueError, match="aware"):
        local_date_time(datetime(2025, 1, 1), "Asia/Jakarta")


def test_wait_is_whole_minutes_rounded_up() -> None:
    assert [wait_minutes(s) for s in (0, 1, 60, 61, 841)] == [1, 1, 1, 2, 15]


def test_narrow_paper_wraps_and_hostile_text_is_made_safe() -> None:
    ticket = TicketPrint(
        office="Dinas Kependudukan dan Pencatatan Sipil Kabupaten Contoh\x1b@",
        service="Layanan — “khusus”",
        number="A-123",
        issued_at=TICKET.issued_at,
        timezone="Asia/Jakarta",
        status_url="",
    )
    commands = ticket_commands(ticket, columns=32)
    texts = lines(commands)
    assert all(len(t) <= 32 and t.isascii() for t in texts)
    assert texts[:2] == ["Dinas Kependudukan dan", "Pencatatan Sipil Kabupaten"]
    assert 'Layanan - "khusus"' in texts
    assert "Perkiraan waktu tunggu: -" in texts
    assert not any(isinstance(c, QrCode) for c in commands)  # no address, no code


def test_a_long_number_gets_a_smaller_size() -> None:
    ticket = TicketPrint(
        office="X",
        service="Y",
        number="ABC-1234",
        issued_at=TICKET.issued_at,
        timezone="Asia/Jakarta",
        status_url="",
    )
    commands = ticket_commands(ticket, columns=30)  # 8 characters x 4 = 32 > 30
    style = commands[commands.index(Line("ABC-1234")) - 1]
    assert isinstance(style, Style) and style.width == 2


@pytest.mark.parametrize(
    ("name", "profile", "native_qr", "columns"),
    [
        ("ticket_80mm_native_qr.bin", "TM-T88V", True, 42),
        ("ticket_80mm_image_qr.bin", "TM-T88V", False, 42),
        ("ticket_58mm_image_qr.bin", "POS-5890", False, 32),
    ],
)
def test_ticket_bytes_match_the_golden_files(
    golden: Golden, name: str, profile: str, native_qr: bool, columns: int
) -> None:
    data = to_bytes(ticket_commands(TICKET, columns=columns), profile=profile, native_qr=native_qr)
    assert data.startswith(b"\x1b@")  # initialise the printer first
    assert b"A-007\n" in data
    # A cut at the end where the printer has a cutter (the 58 mm one has none).
    assert (b"\x1dV" in data) == (profile == "TM-T88V")
    assert all(b < 0x80 for b in data[: data.index(b"A-007")])  # text part: pure ASCII
    golden.check(name, data)


def test_native_qr_is_the_printers_own_command() -> None:
    url = TICKET.status_url.encode()
    native = to_bytes(ticket_commands(TICKET), native_qr=True)
    image = to_bytes(ticket_commands(TICKET), native_qr=False)
    store = b"\x1d(k" + (len(url) + 3).to_bytes(2, "little") + b"1P0" + url
    assert store in native and b"\x1d(k\x03\x001Q0" in native
    assert b"\x1d(k" not in image and b"\x1dv0" in image  # a raster image instead


def test_the_check_page_fits_the_paper() -> None:
    commands = check_page_commands(["Kiosk lobi", "network 10.0.0.5:9100"], "http://x/t/1", 32)
    texts = lines(commands)
    assert texts[0] == "TEST" and "Kiosk lobi" in texts
    assert "12345678901234567890123456789012" in texts
    assert commands[-1] == Cut()
