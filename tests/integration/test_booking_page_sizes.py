"""Budget: every booking page and the ticket status page weigh at most 50 KB of HTML, all in
(inline CSS, the few lines of script, the inline SVG QR code), so they load on a slow link.

Measured on the demo office and on the largest a page can get: the day list with a 90-day
window, the slot list with 5-minute slots, the status page with the survey form. Run with
``-s`` to see the sizes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import requests

from tests.support.booking import Booking, book, nik
from tests.support.queue_ops import act, call_next, ok, set_state

LIMIT = 50 * 1024
SLOT = "2026-03-03T02:00:00+00:00"  # Tuesday 09:00 WIB
DAY = "2026-03-03"

pytestmark = pytest.mark.parametrize("bk", ["sqlite"], indirect=True)  # HTML is DB-independent


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    assert found, page.text[:2000]
    return found.group(1)


def _weigh(sizes: dict[str, int], name: str, page: requests.Response, status: int = 200) -> None:
    assert page.status_code == status, f"{name}: {page.status_code} {page.text[:300]}"
    assert page.headers["content-type"].startswith("text/html"), name
    sizes[name] = len(page.content)


def _check(sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        print(f"{size / 1024:7.1f} KB  {name}")
    over = {name: size for name, size in sizes.items() if size > LIMIT}
    assert not over, f"pages over {LIMIT // 1024} KB: {over}"


def test_every_booking_page_is_at_most_50_kb(bk: Booking) -> None:
    a = bk.office.services["A"]
    base = bk.server.url
    web = requests.Session()
    sizes: dict[str, int] = {}

    _weigh(sizes, "service (/pesan/demo)", web.get(f"{base}/pesan/demo"))
    _weigh(sizes, "day (/pesan/layanan/<id>)", web.get(f"{base}/pesan/layanan/{a}"))
    form = web.get(f"{base}/pesan/layanan/{a}/{DAY}")
    _weigh(sizes, "slot and form (/pesan/layanan/<id>/<day>)", form)
    bad = {"csrf_token": _csrf(form), "slot": SLOT, "nik": "123", "name": "S"}
    _weigh(sizes, "form with an error", web.post(f"{base}/pesan/layanan/{a}/{DAY}", data=bad), 422)
    good = {**bad, "nik": nik(1), "name": "Siti Aminah"}
    result = web.post(f"{base}/pesan/layanan/{a}/{DAY}", data=good)
    _weigh(sizes, "result with code and QR (/pesan/kode/<code>)", result)
    assert "<svg" in result.text  # the QR code is in the page, and weighed
    code = result.url.rsplit("/", 1)[1]
    other = requests.Session().get(f"{base}/pesan/kode/{code}")
    _weigh(sizes, "cancel form asking for the NIK (another browser)", other)
    asked = web.post(f"{base}/pesan/kode/{code}/batal", data={"csrf_token": _csrf(result)})
    _weigh(sizes, "cancel confirmation", asked)
    assert "Ya, batalkan pemesanan" in asked.text
    confirm = {"csrf_token": _csrf(asked), "confirmed": "1"}
    cancelled = web.post(f"{base}/pesan/kode/{code}/batal", data=confirm)
    _weigh(sizes, "cancelled booking", cancelled)
    assert "Dibatalkan" in cancelled.text
    _weigh(sizes, "unknown code (error page)", web.get(f"{base}/pesan/kode?kode=ZZZZZZ"), 404)

    # The office list appears once a second office takes bookings.
    admin = bk.anon.login("admin")
    branch = ok(admin.post("/api/v1/branches", {"code": "kedua", "name": "Kantor Kedua"}), 201)
    service = ok(
        admin.post("/api/v1/services", {"branch_id": branch["id"], "prefix": "A", "name": "KTP"}),
        201,
    )
    ok(admin.put(f"/api/v1/services/{service['id']}/booking", {"enabled": True}))
    _weigh(sizes, "office (/pesan)", web.get(f"{base}/pesan"))

    # The status page: waiting, called, and done with the nine survey questions.
    booked = book(bk.anon, a, "2026-03-02T03:00:00Z", 2)
    bk.clock.now = datetime(2026, 3, 2, 2, 45, tzinfo=UTC)
    ticket = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": booked["code"]}), 201)
    checked_in = web.get(f"{base}/pesan/kode/{booked['code']}")
    _weigh(sizes, "checked-in booking with its status link", checked_in)
    assert f'href="/t/{ticket["code"]}"' in checked_in.text
    _weigh(sizes, "status, waiting (/t/<code>)", web.get(f"{base}/t/{ticket['code']}"))
    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    assert call_next(petugas1, bk.office.counters[1]) is not None
    _weigh(sizes, "status, called", web.get(f"{base}/t/{ticket['code']}"))
    act(petugas1, ticket["id"], "start")
    act(petugas1, ticket["id"], "finish")
    survey = web.get(f"{base}/t/{ticket['code']}")
    _weigh(sizes, "status, done, with the survey form", survey)
    assert 'id="survei"' in survey.text
    _check(sizes)


def test_the_largest_day_and_slot_lists_are_at_most_50_kb(bk: Booking) -> None:
    """A 90-day window and 5-minute slots: the longest lists the settings allow."""
    a = bk.office.services["A"]
    admin = bk.anon.login("admin")
    most = {"enabled": True, "slot_minutes": 5, "window_days": 90, "capacity": 1000}
    ok(admin.put(f"/api/v1/services/{a}/booking", most))
    web = requests.Session()
    sizes: dict[str, int] = {}
    days = web.get(f"{bk.server.url}/pesan/layanan/{a}")
    _weigh(sizes, "day, 90-day window", days)
    assert days.text.count(f'href="/pesan/layanan/{a}/') >= 60
    slots = web.get(f"{bk.server.url}/pesan/layanan/{a}/{DAY}")
    _weigh(sizes, "slot and form, 5-minute slots", slots)
    assert slots.text.count('type="radio"') >= 80
    _check(sizes)
