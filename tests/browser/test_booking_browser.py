"""In a real (headless) browser on a phone-sized screen: book a slot, see the code and its QR,
cancel it; and the ticket status page turning to "called — go to loket N" live when an
officer calls the ticket through the API."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.support.booking import Booking, nik
from tests.support.queue_ops import call_next, issue, ok, set_state


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def test_book_a_slot_on_a_phone_see_code_and_qr_and_cancel(bk: Booking, phone: Page) -> None:
    phone.goto(f"{bk.server.url}/pesan")
    expect(phone).to_have_url(re.compile(r"/pesan/demo$"))
    phone.get_by_role("link", name="Perekaman KTP-el").click()
    expect(phone.locator("h1")).to_have_text("Perekaman KTP-el")
    _fits_the_screen(phone)
    phone.get_by_role("link", name=re.compile(r"^Selasa, 3 Mar")).click()
    expect(phone.locator("p.muted").first).to_contain_text("Selasa, 3 Maret 2026")
    _fits_the_screen(phone)
    phone.get_by_label(re.compile(r"^09\.00–09\.30")).check()
    phone.get_by_label("NIK (16 angka)").fill(nik(1))
    phone.get_by_label("Nama lengkap").fill("Siti Aminah")
    phone.get_by_role("button", name="Pesan").click()

    expect(phone).to_have_url(re.compile(r"/pesan/kode/[34679ACEFHJKMNPRTWXY]{10}$"))
    code = phone.url.rsplit("/", 1)[1]
    expect(phone.locator("#booking-code")).to_have_text(code)
    qr = phone.locator("svg.qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and box["x"] >= 0
    expect(phone.locator("#booking-state")).to_have_text("Terpesan")
    expect(phone.get_by_text("Selasa, 3 Maret 2026, 09.00–09.30 WIB")).to_be_visible()
    assert "Siti" not in phone.content()
    _fits_the_screen(phone)

    phone.get_by_role("button", name="Batalkan pemesanan").click()
    expect(phone.get_by_text("Yakin membatalkan pemesanan ini?")).to_be_visible()
    expect(phone.locator("#booking-state")).to_have_text("Terpesan")  # one tap: not yet
    _fits_the_screen(phone)
    phone.get_by_role("button", name="Ya, batalkan pemesanan").click()
    expect(phone.locator("#booking-state")).to_have_text("Dibatalkan")
    expect(phone.locator("svg.qr")).to_have_count(0)
    found = bk.anon.get(f"/api/v1/public/bookings/{code}").json()
    assert found["state"] == "cancelled"


def test_a_wrong_nik_is_explained_on_the_page(bk: Booking, phone: Page) -> None:
    phone.goto(f"{bk.server.url}/pesan/layanan/{bk.office.services['A']}/2026-03-03")
    phone.get_by_label(re.compile(r"^09\.00–09\.30")).check()
    phone.get_by_label("NIK (16 angka)").fill("3174053208900001")
    phone.get_by_label("Nama lengkap").fill("Siti Aminah")
    phone.get_by_role("button", name="Pesan").click()
    expect(phone.locator("#error")).to_have_text(
        "Bagian tanggal lahir pada NIK tidak valid. Periksa kembali NIK Anda."
    )
    expect(phone.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")


def test_status_page_turns_to_called_live(bk: Booking, phone: Page) -> None:
    ticket = issue(bk.kiosk, bk.office.services["A"])
    phone.goto(f"{bk.server.url}/t/{ticket['code']}")
    expect(phone.locator("#number")).to_have_text("A-001")
    expect(phone.locator("#state")).to_have_text("Menunggu")
    phone.evaluate("window.__samePage = true")  # gone if the page reloads
    phone.wait_for_timeout(500)  # let the event stream connect

    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    called = call_next(petugas1, bk.office.counters[1])
    assert called is not None and called["id"] == ticket["id"]

    expect(phone.locator("#state")).to_have_text("Dipanggil — silakan menuju Loket 1")
    expect(phone.locator("#now-calling")).to_have_text("A-001")
    expect(phone.locator("#waiting-info")).to_be_hidden()
    assert phone.evaluate("window.__samePage") is True, "updated live, not by reloading"
    _fits_the_screen(phone)


def test_the_whole_journey_book_check_in_and_follow_the_call(bk: Booking, phone: Page) -> None:
    """Book today's 09.00 slot on the phone, check in at the kiosk (the kiosk's own API call,
    with its device token), follow the booking's link to the ticket's status page, and see it
    turn to "called — go to Loket 1" live when the officer calls it."""
    phone.goto(f"{bk.server.url}/pesan")
    phone.get_by_role("link", name="Perekaman KTP-el").click()
    phone.get_by_role("link", name=re.compile(r"^Senin, 2 Mar")).click()
    phone.get_by_label(re.compile(r"^09\.00–09\.30")).check()
    phone.get_by_label("NIK (16 angka)").fill(nik(7, female=True))
    phone.get_by_label("Nama lengkap").fill("Dewi Lestari")
    phone.get_by_role("button", name="Pesan").click()
    expect(phone).to_have_url(re.compile(r"/pesan/kode/[34679ACEFHJKMNPRTWXY]{10}$"))
    booking_url = phone.url
    code = booking_url.rsplit("/", 1)[1]
    expect(phone.locator("#booking-state")).to_have_text("Terpesan")
    expect(phone.get_by_role("link", name="Lihat status antrean")).to_have_count(0)

    # At the office at 08.45 (check-in opens 30 minutes before the slot): the kiosk checks in.
    bk.clock.now = datetime(2026, 3, 2, 1, 45, tzinfo=UTC)
    ticket = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": code}), 201)
    assert ticket["source"] == "online"

    phone.goto(booking_url)
    expect(phone.locator("#booking-state")).to_have_text("Sudah check-in")
    phone.get_by_role("link", name="Lihat status antrean").click()
    expect(phone).to_have_url(re.compile(rf"/t/{ticket['code']}$"))
    expect(phone.locator("#number")).to_have_text(ticket["number"])
    expect(phone.locator("#state")).to_have_text("Menunggu")
    expect(phone.locator("#ahead")).to_have_text("0 orang")
    assert "Dewi" not in phone.content()
    phone.evaluate("window.__samePage = true")  # gone if the page reloads
    phone.wait_for_timeout(500)  # let the event stream connect

    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    called = call_next(petugas1, bk.office.counters[1])
    assert called is not None and called["id"] == ticket["id"]

    expect(phone.locator("#state")).to_have_text("Dipanggil — silakan menuju Loket 1")
    expect(phone.locator("#now-calling")).to_have_text(ticket["number"])
    assert phone.evaluate("window.__samePage") is True, "updated live, not by reloading"
    _fits_the_screen(phone)
