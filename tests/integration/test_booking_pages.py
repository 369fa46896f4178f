"""The booking pages and the ticket status page over plain HTTP (forms, cookies, redirects),
on SQLite and PostgreSQL: the whole flow, CSRF, Indonesian messages with nothing changed, the
live status stream, and no personal data on public pages."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import requests

from counter_app.core.error_codes import ERRORS, ErrorCode
from tests.support.booking import Booking, StatusStream, book, nik, remaining
from tests.support.queue_ops import act, call_next, expect_error, issue, ok, set_state

SLOT = "2026-03-03T02:00:00+00:00"  # Tuesday 09:00 WIB
DAY = "2026-03-03"


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    assert found, page.text[:2000]
    return found.group(1)


def _error(page: requests.Response) -> str:
    found = re.search(r'class="error" role="alert"[^>]*>([^<]+)<', page.text)
    assert found, page.text[:2000]
    return found.group(1)


def _form(token: str, serial: int = 1, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "slot": SLOT,
        "nik": nik(serial),
        "name": "Siti Aminah",
        **extra,
    }


def test_book_and_cancel_through_the_pages(bk: Booking) -> None:
    a = bk.office.services["A"]
    web = requests.Session()
    base = bk.server.url
    start = web.get(f"{base}/pesan", allow_redirects=False)
    assert (start.status_code, start.headers["location"]) == (303, "/pesan/demo")
    services = web.get(f"{base}/pesan/demo")
    assert "Perekaman KTP-el" in services.text and "Kartu Keluarga" in services.text
    assert "Akta Kelahiran" not in services.text  # C takes no bookings
    days = web.get(f"{base}/pesan/layanan/{a}")
    assert "Sabtu, 7 Mar — tutup" in days.text
    assert f'href="/pesan/layanan/{a}/{DAY}">Selasa, 3 Mar<small>sisa 56 tempat' in days.text
    form_page = web.get(f"{base}/pesan/layanan/{a}/{DAY}")
    assert form_page.headers["cache-control"] == "no-store"
    assert "09.00–09.30" in form_page.text and "sisa 4 dari 4" in form_page.text

    seq = bk.seq()
    done = web.post(
        f"{base}/pesan/layanan/{a}/{DAY}", data=_form(_csrf(form_page)), allow_redirects=False
    )
    assert done.status_code == 303, done.text[:1000]
    location = done.headers["location"]
    code = location.rsplit("/", 1)[1]
    assert re.fullmatch(r"/pesan/kode/[34679ACEFHJKMNPRTWXY]{10}", location)
    assert bk.seq() == seq + 1 and remaining(bk.anon, a, SLOT) == 3

    page = web.get(base + location)
    assert f'<p class="code" id="booking-code">{code}</p>' in page.text
    assert re.search(
        r'<svg class="qr" role="img" aria-label="QR ' + code + r'"[^>]*viewBox', page.text
    )
    assert "Terpesan" in page.text and "S*** A*****" in page.text and "•••• 0001" in page.text
    assert "Selasa, 3 Maret 2026, 09.00–09.30 WIB" in page.text
    assert "08.30–09.15 WIB" in page.text  # the check-in window
    assert "Siti" not in page.text and nik(1) not in page.text and "1111" not in page.text
    assert 'name="nik"' not in page.text  # this browser holds the cancel token

    asked = web.post(f"{base}{location}/batal", data={"csrf_token": _csrf(page)})
    assert asked.status_code == 200 and "Ya, batalkan pemesanan" in asked.text
    assert "Terpesan" in asked.text and remaining(bk.anon, a, SLOT) == 3  # not yet
    cancelled = web.post(
        f"{base}{location}/batal",
        data={"csrf_token": _csrf(asked), "confirmed": "1"},
        allow_redirects=False,
    )
    assert (cancelled.status_code, cancelled.headers["location"]) == (303, location)
    assert "Dibatalkan" in web.get(base + location).text
    assert remaining(bk.anon, a, SLOT) == 4 and bk.seq() == seq + 2

    # Looking a booking up by its code, typed loosely.
    found = web.get(
        f"{base}/pesan/kode", params={"kode": f" {code.lower()} "}, allow_redirects=False
    )
    assert found.headers["location"] == location
    missing = web.get(f"{base}/pesan/kode", params={"kode": "OOOOOO"})
    assert missing.status_code == 404 and _error(missing) == (
        "Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi."
    )


def test_forms_without_a_valid_csrf_token_change_nothing(bk: Booking) -> None:
    a = bk.office.services["A"]
    base = bk.server.url
    web = requests.Session()
    token = _csrf(web.get(f"{base}/pesan/layanan/{a}/{DAY}"))
    seq = bk.seq()
    url = f"{base}/pesan/layanan/{a}/{DAY}"
    for data, session in (
        ({k: v for k, v in _form(token).items() if k != "csrf_token"}, web),  # no field
        (_form("0" * 64), web),  # a wrong field
        (_form(token), requests.Session()),  # no cookie: another site's forged post
    ):
        refused = session.post(url, data=data, allow_redirects=False)
        assert refused.status_code == 403
        assert _error(refused) == "Sesi formulir sudah habis. Muat ulang halaman lalu coba lagi."
    assert bk.seq() == seq and remaining(bk.anon, a, SLOT) == 4

    created = book(bk.anon, a, SLOT, 2)
    booking_url = f"{base}/pesan/kode/{created['code']}/batal"
    refused = web.post(booking_url, data={"nik": nik(2)}, allow_redirects=False)
    assert refused.status_code == 403
    assert ok(bk.anon.get(f"/api/v1/public/bookings/{created['code']}"))["state"] == "booked"


def test_bad_input_on_the_form_shows_why_in_indonesian_and_keeps_the_entries(bk: Booking) -> None:
    b = bk.office.services["B"]
    base = bk.server.url
    web = requests.Session()
    url = f"{base}/pesan/layanan/{b}/{DAY}"
    token = _csrf(web.get(url))
    for serial in (1, 2, 3):  # B has three places per slot
        book(bk.anon, b, SLOT, serial)
    seq = bk.seq()
    cases = [
        ({"nik": "12345"}, 422, "NIK harus 16 angka."),
        ({"nik": "9974051208900009"}, 422, "Kode wilayah pada NIK tidak dikenal."),
        ({"nik": "3174053208900009"}, 422, "Bagian tanggal lahir pada NIK tidak valid."),
        ({"name": "<b>"}, 422, "Nama hanya boleh berisi huruf"),
        ({"slot": ""}, 422, "Jam yang dipilih tidak tersedia."),
        ({"nik": nik(9)}, 409, "Kuota jam tersebut sudah penuh."),
        ({"nik": nik(1), "slot": "2026-03-03T05:00:00+00:00"}, 409, "NIK ini sudah memiliki"),
    ]
    for change, status, message in cases:
        page = web.post(url, data=_form(token, 9, **change), allow_redirects=False)
        assert page.status_code == status, (change, page.status_code)
        assert _error(page).startswith(message), (change, _error(page))
        kept = 'value="Siti Aminah"' if "name" not in change else f'value="{nik(9)}"'
        assert kept in page.text  # nothing to type again
    assert 'value="&lt;b&gt;"' in web.post(url, data=_form(token, 9, name="<b>")).text
    assert bk.seq() == seq and remaining(bk.anon, b, SLOT) == 0
    saturday = web.get(f"{base}/pesan/layanan/{b}/2026-03-07")
    assert "Tidak dapat memesan pada tanggal ini." in saturday.text
    assert 'type="radio"' not in saturday.text


def test_cancel_from_another_browser_needs_the_nik(bk: Booking) -> None:
    a = bk.office.services["A"]
    created = book(bk.anon, a, SLOT, 1)
    base = bk.server.url
    other = requests.Session()
    page = other.get(f"{base}/pesan/kode/{created['code']}")
    assert 'name="nik"' in page.text
    url = f"{base}/pesan/kode/{created['code']}/batal"
    empty = other.post(url, data={"csrf_token": _csrf(page)})
    assert empty.status_code == 422 and _error(empty) == "Masukkan NIK yang dipakai saat memesan."
    wrong = other.post(url, data={"csrf_token": _csrf(page), "nik": nik(2), "confirmed": "1"})
    assert wrong.status_code == 403 and _error(wrong) == "NIK tidak cocok dengan pemesanan ini."
    assert remaining(bk.anon, a, SLOT) == 3
    asked = other.post(url, data={"csrf_token": _csrf(page), "nik": nik(1)})
    assert asked.status_code == 200 and remaining(bk.anon, a, SLOT) == 3
    right = other.post(url, data=_confirm_fields(asked))
    assert right.status_code == 200 and "Dibatalkan" in right.text
    assert remaining(bk.anon, a, SLOT) == 4


def _confirm_fields(page: requests.Response) -> dict[str, str]:
    """The hidden fields of the confirmation page's form, as a browser sends them."""
    form = page.text[page.text.index('id="confirm-cancel"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form))


def test_one_tap_never_cancels_a_booking(bk: Booking) -> None:
    """The first "Batalkan pemesanan" asks again, on a page that works without JavaScript;
    only its second button cancels, and "Tidak" keeps the booking."""
    a = bk.office.services["A"]
    created = book(bk.anon, a, SLOT, 1)
    base = bk.server.url
    web = requests.Session()
    page = web.get(f"{base}/pesan/kode/{created['code']}")
    url = f"{base}/pesan/kode/{created['code']}/batal"
    seq = bk.seq()
    asked = web.post(url, data={"csrf_token": _csrf(page), "nik": nik(1)})
    assert asked.status_code == 200
    assert "Yakin membatalkan pemesanan ini?" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    assert f'href="/pesan/kode/{created["code"]}">Tidak, simpan pemesanan saya' in asked.text
    assert "<script" not in asked.text
    assert bk.seq() == seq and remaining(bk.anon, a, SLOT) == 3
    state = ok(bk.anon.get(f"/api/v1/public/bookings/{created['code']}"))["state"]
    assert state == "booked"
    fields = _confirm_fields(asked)
    assert fields["nik"] == nik(1) and fields["confirmed"] == "1"
    done = web.post(url, data=fields, allow_redirects=False)
    assert done.status_code == 303
    state = ok(bk.anon.get(f"/api/v1/public/bookings/{created['code']}"))["state"]
    assert state == "cancelled"


def test_status_page_and_its_live_stream(bk: Booking) -> None:
    a = bk.office.services["A"]
    base = bk.server.url
    created = book(bk.anon, a, "2026-03-02T03:00:00Z", 1, name="Wayan Sudarta")
    bk.clock.now = datetime(2026, 3, 2, 2, 45, tzinfo=UTC)
    ticket = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": created["code"]}), 201)
    issue(bk.kiosk, a)
    page = requests.get(f"{base}/t/{ticket['code']}")
    assert page.status_code == 200
    assert '<p class="big" id="number">A-001</p>' in page.text
    assert ">Menunggu<" in page.text
    assert '<noscript><meta http-equiv="refresh" content="20"></noscript>' in page.text
    assert "Wayan" not in page.text and "W****" not in page.text
    assert 'id="survei"' not in page.text
    booking_page = requests.get(f"{base}/pesan/kode/{created['code']}")
    assert f'href="/t/{ticket["code"]}"' in booking_page.text

    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    with StatusStream(base, ticket["code"]) as stream:
        [first] = stream.events(1)
        assert first.event == "status" and first.data is not None
        assert (first.data["state"], first.data["ahead"]) == ("waiting", 0)
        called = call_next(petugas1, bk.office.counters[1])
        assert called is not None and called["id"] == ticket["id"]
        [second] = stream.events(1)
        assert second.data is not None
        assert (second.data["state"], second.data["counter_number"]) == ("called", 1)
        assert second.data["now_calling"] == ["A-001"]
        assert "Wayan" not in str(second.data)
        act(petugas1, ticket["id"], "start")
        act(petugas1, ticket["id"], "finish")
        states: list[str] = []
        while not states or states[-1] != "done":
            [message] = stream.events(1)
            assert message.data is not None
            states.append(message.data["state"])
        # A burst of events is looked at once: "serving" may be skipped, never reordered.
        assert states in (["serving", "done"], ["done"])
        deadline = time.monotonic() + 5
        ended = False
        while time.monotonic() < deadline:  # the stream ends once the ticket is done
            if next(stream._chunks, None) is None:
                ended = True
                break
        assert ended
    page = requests.get(f"{base}/t/{ticket['code']}")
    assert ">Selesai<" in page.text and 'id="survei"' in page.text
    assert "http-equiv" not in page.text
    missing = requests.get(f"{base}/t/ZZZZZZZZ")
    assert missing.status_code == 404 and _error(missing) == "Nomor antrean tidak ditemukan."
    expect_error(
        requests.get(f"{base}/api/v1/public/tickets/ZZZZZZZZ/events"), 404, "ticket_not_found"
    )


def test_a_malformed_address_or_form_gets_a_page_never_json(bk: Booking) -> None:
    """A citizen's browser never sees the API's JSON: an address FastAPI cannot validate gets
    the error page, and odd form fields (a file, a very long text) are read as text."""
    a = bk.office.services["A"]
    base = bk.server.url
    web = requests.Session()
    for path in (
        "/pesan/layanan/0",
        f"/pesan/layanan/{a}/not-a-day",
        "/pesan/Bad Code!",
        "/t/bad-code!",
        "/pesan/kode?kode=" + "X" * 41,
    ):
        page = web.get(base + path)
        assert page.status_code == 422, path
        assert page.headers["content-type"].startswith("text/html"), path
        assert _error(page) == ERRORS[ErrorCode.INVALID_INPUT].text_id
    refused = web.post(f"{base}/t/bad-code!/survei", data={"u1": "4"})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")

    url = f"{base}/pesan/layanan/{a}/{DAY}"
    token = _csrf(web.get(url))
    seq = bk.seq()
    too_long = web.post(url, data=_form(token, name="Siti " * 1000))
    assert too_long.status_code == 422 and _error(too_long).startswith("Nama hanya boleh")
    a_file = web.post(
        url,
        data={k: v for k, v in _form(token).items() if k != "name"},
        files={"name": ("name.txt", b"Siti Aminah", "text/plain")},
    )
    assert a_file.status_code == 422 and _error(a_file).startswith("Nama hanya boleh")
    assert f'value="{nik(1)}"' in a_file.text
    assert bk.seq() == seq and remaining(bk.anon, a, SLOT) == 4
