"""The satisfaction survey on the ticket status page (``/t/<code>``), over plain HTTP on SQLite
and PostgreSQL: the form once the ticket is done, thank-you after an answer (and after a second
one), CSRF, an incomplete form kept with its answers, no form before the service is done, the
rate limit; and the channel each response is recorded with."""

from __future__ import annotations

import re

import requests
from sqlalchemy import select

from counter_app.core.ratelimit import RateLimiter
from counter_app.server.context import Services
from counter_app.store.models import SurveyResponse
from tests.conftest import Running
from tests.integration.test_reports_survey import (
    GOOD,
    responses_in_report,
    served_ticket,
    survey_path,
)
from tests.support.queue_ops import expect_error, issue, ok

THANKS = "Jawaban survei Anda sudah kami terima"
CSRF_MESSAGE = "Sesi formulir sudah habis. Muat ulang halaman lalu coba lagi."


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    assert found, page.text[:2000]
    return found.group(1)


def _survey_error(page: requests.Response) -> str:
    found = re.search(r'id="survey-error">([^<]+)<', page.text)
    assert found, page.text[:3000]
    return found.group(1)


def _checked(page: requests.Response) -> dict[str, str]:
    """The radio buttons checked on the page: field → value."""
    return dict(
        re.findall(r'<input type="radio" name="(u\d)" value="(\d)" required checked>', page.text)
    )


def _channels(running: Running) -> list[str]:
    svc: Services = running.server.app.state.services
    with svc.db.read() as session:
        return list(session.scalars(select(SurveyResponse.channel).order_by(SurveyResponse.id)))


def _answers(**change: str) -> dict[str, str]:
    return {f"u{i}": str(4 - i % 4) for i in range(1, 10)} | change


def test_done_ticket_shows_the_survey_and_an_answer_is_thanked(running: Running) -> None:
    ticket = served_ticket(running)
    code = ticket["code"]
    base = running.server.url
    web = requests.Session()
    page = web.get(f"{base}/t/{code}")
    assert page.status_code == 200 and ">Selesai<" in page.text
    assert f'<form method="post" action="/t/{code}/survei">' in page.text
    legends = re.findall(r'<span class="qn">(\d)\. ([^<]+)</span>', page.text)
    assert legends[0] == ("1", "Persyaratan") and legends[8] == ("9", "Sarana dan Prasarana")
    assert len(legends) == 9
    assert page.text.count('type="radio"') == 36
    assert ">Sangat sesuai</label>" in page.text and ">Gratis</label>" in page.text
    assert THANKS not in page.text and _checked(page) == {}

    form = {"csrf_token": _csrf(page), **_answers()}
    done = web.post(f"{base}/t/{code.lower()}/survei", data=form, allow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"/t/{code}#survei")
    thanked = web.get(f"{base}/t/{code}")
    assert THANKS in thanked.text and "<form" not in thanked.text
    assert ok(running.anon.get(survey_path(code)))["survey"] == "answered"

    # A second answer (a double tap, the back button): thank-you again, still one response.
    again = web.post(f"{base}/t/{code}/survei", data=form, allow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, f"/t/{code}#survei")
    assert THANKS in web.get(base + again.headers["location"]).text
    assert responses_in_report(running, ticket["service_day"])["A"] == 1
    assert _channels(running) == ["web"]
    expect_error(running.anon.post(survey_path(code), GOOD), 409, "survey_already_answered")


def test_a_form_without_a_valid_csrf_token_stores_nothing(running: Running) -> None:
    code = served_ticket(running)["code"]
    base = running.server.url
    web = requests.Session()
    token = _csrf(web.get(f"{base}/t/{code}"))
    url = f"{base}/t/{code}/survei"
    for data, session in (
        (_answers(), web),  # no field
        ({"csrf_token": "0" * 64, **_answers()}, web),  # a wrong field
        ({"csrf_token": token, **_answers()}, requests.Session()),  # no cookie: a forged post
    ):
        refused = session.post(url, data=data, allow_redirects=False)
        assert refused.status_code == 403
        assert _survey_error(refused) == CSRF_MESSAGE
        assert _checked(refused) == _answers()  # nothing to answer again
    assert ok(running.anon.get(survey_path(code)))["survey"] == "open"
    assert _channels(running) == []


def test_an_incomplete_form_is_shown_again_with_its_answers_and_nothing_stored(
    running: Running,
) -> None:
    code = served_ticket(running)["code"]
    base = running.server.url
    web = requests.Session()
    token = _csrf(web.get(f"{base}/t/{code}"))
    given = {k: v for k, v in _answers(u7="9").items() if k != "u3"}  # u7 not one of the four
    page = web.post(f"{base}/t/{code}/survei", data={"csrf_token": token, **given})
    assert page.status_code == 422
    assert _survey_error(page) == (
        "Mohon pilih satu jawaban untuk setiap pertanyaan. Belum dijawab: pertanyaan nomor 3, 7."
    )
    kept = {k: v for k, v in given.items() if k != "u7"}
    assert _checked(page) == kept
    assert re.findall(r'<fieldset class="q missing" id="q(\d)">', page.text) == ["3", "7"]
    empty = web.post(f"{base}/t/{code}/survei", data={"csrf_token": token})
    assert empty.status_code == 422 and "nomor 1, 2, 3, 4, 5, 6, 7, 8, 9." in _survey_error(empty)
    assert ok(running.anon.get(survey_path(code)))["survey"] == "open"
    assert _channels(running) == []

    # Completed, the same form goes through.
    done = web.post(
        f"{base}/t/{code}/survei",
        data={"csrf_token": token, **_answers()},
        allow_redirects=False,
    )
    assert done.status_code == 303 and _channels(running) == ["web"]


def test_no_survey_before_the_service_is_done(running: Running) -> None:
    served = served_ticket(running)
    waiting = issue(running.kiosk, running.office.services["B"])
    base = running.server.url
    web = requests.Session()
    token = _csrf(web.get(f"{base}/t/{served['code']}"))  # a valid token of this browser
    page = web.get(f"{base}/t/{waiting['code']}")
    assert page.status_code == 200 and ">Menunggu<" in page.text
    assert 'id="survei"' not in page.text and 'type="radio"' not in page.text
    url = f"{base}/t/{waiting['code']}/survei"
    for data in (_answers(), {}):  # complete or not: the survey is not open
        refused = web.post(url, data={"csrf_token": token, **data})
        assert refused.status_code == 409
        assert _survey_error(refused) == (
            "Survei dapat diisi setelah layanan untuk nomor antrean ini selesai."
        )
        assert "<form" not in refused.text
    assert ok(running.anon.get(survey_path(waiting["code"])))["survey"] == "not_available"
    missing = web.post(f"{base}/t/ZZZZ9999/survei", data={"csrf_token": token, **_answers()})
    assert missing.status_code == 404 and "Nomor antrean tidak ditemukan." in missing.text
    assert web.post(f"{base}/t/bad-code!/survei", data=_answers()).status_code == 422
    assert _channels(running) == []


def test_the_survey_form_is_rate_limited_like_the_other_public_pages(running: Running) -> None:
    code = served_ticket(running)["code"]
    # The office's 5 a second would hand a token back whenever the machine takes 0.2 s
    # between two of these requests (it did, on a slow day); what is tested is that the
    # form and the API share one bucket, so the bucket here does not refill meanwhile.
    running.server.app.state.public_limiter = RateLimiter(rate_per_second=0.001, burst=30)
    web = requests.Session()
    url = f"{running.server.url}/t/{code}/survei"
    codes = [web.post(url, data={}).status_code]
    while codes[-1] != 429 and len(codes) < 100:
        codes.append(web.post(url, data={}).status_code)
    assert codes[0] == 403 and codes[-1] == 429  # refused, but counted; then the limit
    limited = web.post(url, data={"csrf_token": "x", **_answers()})
    assert limited.status_code == 429
    assert "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi." in limited.text
    expect_error(running.anon.get(survey_path(code)), 429, "rate_limited")  # one bucket
    assert _channels(running) == []


def test_an_answer_sent_with_a_device_token_counts_as_given_at_the_counter(
    running: Running,
) -> None:
    """The counter's survey screen sends the display's token: channel ``counter``."""
    first = served_ticket(running)
    ok(running.display.post(survey_path(first["code"]), GOOD), 201)
    second = served_ticket(running)
    expect_error(
        running.anon.as_token("no-such-token").post(survey_path(second["code"]), GOOD),
        401,
        "bad_token",
    )
    ok(running.anon.post(survey_path(second["code"]), GOOD), 201)
    assert _channels(running) == ["counter", "web"]
    assert responses_in_report(running, first["service_day"])["all"] == 2
