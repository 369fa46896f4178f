#!/usr/bin/env python3
"""Render the citizen's side into docs/screenshots/ (for the README): a printed ticket, and the
booking and status pages on a phone.

A real server runs in this process on a scratch SQLite database with the demo office, on a
clock set to Monday 2 March 2026, 08.40 in Jakarta (so the pictures do not change from run to
run). Loket 1 is open and has called A-001; two more people wait.

* ``ticket-printed.png``: a ticket taken at the kiosk, drawn from the commands of
  ``hardware/ticket_layout.py`` — the same list that ``to_bytes`` turns into the ESC/POS bytes
  sent to the printer — with the printer's font-A cell (12×24 dots), its size multipliers
  (pixel doubling), bold, alignment and the QR code module by module. A preview of the paper,
  not a photograph of it.
* ``web-*.png``: the system's Chromium (``/usr/bin/chromium``; never a downloaded browser)
  driven by Playwright at 360×740 (a small phone): choose the service, choose a slot and fill
  in the form, the booking with its code and QR code, and — after check-in at the kiosk (its
  own API call) — the ticket's status page waiting and then called.

    .venv/bin/python scripts/screenshots_web.py
"""

from __future__ import annotations

import re
import secrets
import socket
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, expect, sync_playwright

from counter_app.cli import prepare_demo
from counter_app.client.api import ApiClient
from counter_app.client.board import BranchBoard
from counter_app.config import Settings
from counter_app.core.vocabulary import CounterState
from counter_app.hardware.ascii_text import one_line
from counter_app.hardware.ticket_layout import (
    DEFAULT_COLUMNS,
    Command,
    Cut,
    Feed,
    Line,
    QrCode,
    Style,
    ticket_commands,
)
from counter_app.server.app import create_app
from counter_app.server.background import BackgroundServer
from counter_app.views.kiosk.printing import ticket_print

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = secrets.token_urlsafe(12)
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
PUBLIC_URL = "http://192.168.1.10:8750"  # the office's address printed in the QR code


class SetClock:
    """The server's clock, set by the script."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the printed ticket -----------------------------------------------------------------------

CELL_W, CELL_H, LINE_GAP = 12, 24, 6  # font A: 12×24 dots, and the printer's line spacing
MARGIN = 24


def _glyphs(text: str, bold: bool) -> Image.Image:
    """One line in the 12×24 cell, black on white, before the size multipliers."""
    # DejaVu Sans Mono (the fonts-dejavu-core package the bootstrap installs), found by name.
    font = ImageFont.truetype(f"DejaVuSansMono{'-Bold' if bold else ''}.ttf", 20)
    image = Image.new("L", (max(1, len(text)) * CELL_W, CELL_H), 255)
    draw = ImageDraw.Draw(image)
    for i, char in enumerate(text):
        draw.text((i * CELL_W + CELL_W / 2, CELL_H / 2 + 1), char, font=font, fill=0, anchor="mm")
    return image


def render_ticket(commands: Sequence[Command], columns: int = DEFAULT_COLUMNS) -> Image.Image:
    width = columns * CELL_W
    paper = Image.new("L", (width, 4000), 255)
    y = 0
    style = Style()
    for command in commands:
        match command:
            case Style():
                style = command
            case Line(text=text):
                line = _glyphs(one_line(text), style.bold)
                line = line.resize(
                    (line.width * style.width, line.height * style.height), Image.Resampling.NEAREST
                )
                x = {"left": 0, "center": (width - line.width) // 2, "right": width - line.width}
                paper.paste(line, (max(0, x[style.align]), y))
                y += line.height + LINE_GAP
            case Feed(lines=lines):
                y += lines * (CELL_H + LINE_GAP)
            case QrCode(content=content, size=size):
                code = qrcode.QRCode(
                    error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=size, border=0
                )
                code.add_data(content)
                image = code.make_image(fill_color="black", back_color="white").get_image()
                paper.paste(image.convert("L"), ((width - image.width) // 2, y + 6))
                y += image.height + 6 + LINE_GAP * 2
            case Cut():
                y += CELL_H
    paper = paper.crop((0, 0, width, y))
    framed = Image.new("RGB", (width + 2 * MARGIN + 40, y + 2 * MARGIN + 40), (214, 217, 222))
    framed.paste(Image.new("RGB", (width + 2 * MARGIN, y + 2 * MARGIN), "white"), (20, 20))
    framed.paste(paper.convert("RGB"), (20 + MARGIN, 20 + MARGIN))
    draw = ImageDraw.Draw(framed)
    for x in range(20, 20 + width + 2 * MARGIN, 12):  # the cut
        draw.line((x, framed.height - 20, x + 6, framed.height - 20), fill=(120, 120, 120))
    return framed


def shoot_ticket(kiosk: ApiClient, service_id: int) -> None:
    me = kiosk.whoami()
    assert me.branch_id is not None
    ticket = kiosk.issue_ticket(service_id)
    board = BranchBoard.from_snapshot(kiosk.queue_snapshot(me.branch_id))
    classes = kiosk.list_priority_classes(me.branch_id)
    printable = ticket_print(ticket, board, PUBLIC_URL, classes)
    render_ticket(ticket_commands(printable)).save(OUT / "ticket-printed.png", optimize=True)
    print("wrote", OUT / "ticket-printed.png")


# --- the phone pages --------------------------------------------------------------------------


def snap(page: Page, name: str) -> None:
    page.screenshot(path=str(OUT / name), full_page=True)
    print("wrote", OUT / name)


def shoot_phone(
    url: str, kiosk: ApiClient, petugas1: ApiClient, loket1: int, clock: SetClock
) -> None:
    branch = petugas1.whoami().branch_id or 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        context = browser.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="id-ID",
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/pesan")
        expect(page).to_have_url(re.compile(r"/pesan/demo$"))
        snap(page, "web-service.png")

        page.get_by_role("link", name="Perekaman KTP-el").click()
        page.get_by_role("link", name=re.compile(r"^Senin, 2 Mar")).click()
        page.get_by_label(re.compile(r"^09\.00–09\.30")).check()
        page.get_by_label("NIK (16 angka)").fill("3174055208900007")
        page.get_by_label("Nama lengkap").fill("Dewi Lestari")
        snap(page, "web-slot.png")

        page.get_by_role("button", name="Pesan").click()
        expect(page.locator("#booking-state")).to_have_text("Terpesan")
        snap(page, "web-booking.png")
        code = page.url.rsplit("/", 1)[1]

        kiosk.check_in_booking(code)
        page.reload()
        page.get_by_role("link", name="Lihat status antrean").click()
        expect(page.locator("#state")).to_have_text("Menunggu")
        page.wait_for_timeout(500)  # the live stream connects
        snap(page, "web-status.png")

        clock.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09.00: the appointment is due
        mine = page.locator("#number").inner_text()
        while True:  # the one at Loket 1 did not come; call until the booked ticket's turn
            counter = next(c for c in petugas1.list_counters(branch) if c.id == loket1)
            if counter.current_ticket_id is not None:
                petugas1.skip_ticket(counter.current_ticket_id)
            called = petugas1.call_next(loket1).ticket
            assert called is not None, "the booked ticket was never called"
            if called.number == mine:
                break
        expect(page.locator("#state")).to_have_text(re.compile(r"^Dipanggil"))
        snap(page, "web-status-called.png")
        context.close()
        browser.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/demo.sqlite3", port=free_port())
        tokens = prepare_demo(settings, PASSWORD)
        clock = SetClock(datetime(2026, 3, 2, 1, 40, tzinfo=UTC))  # Monday 08.40 WIB
        app = create_app(settings, clock=clock, sweep=False)
        with BackgroundServer(app, "127.0.0.1", settings.port, "warning") as server:
            kiosk = ApiClient(server.url, tokens["Kiosk lobi"])
            officer = ApiClient(server.url)
            branch = officer.login("petugas1", PASSWORD).user.branch_id or 0
            loket1 = next(c for c in officer.list_counters(branch) if c.number == 1)
            a = next(s.id for s in officer.list_services(branch) if s.prefix == "A")
            officer.set_counter_state(loket1.id, CounterState.OPEN)
            shoot_ticket(kiosk, a)
            kiosk.issue_ticket(a)
            kiosk.issue_ticket(a)
            officer.call_next(loket1.id)  # A-001 is called; wait
            shoot_phone(server.url, kiosk, officer, loket1.id, clock)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
