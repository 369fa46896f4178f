"""In a real (headless) browser on a phone-sized screen: the citizen follows the ticket, the
officer finishes it through the API, the page turns to the survey, the citizen answers the
nine questions with taps and is thanked, and the branch's report counts the response."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.support.booking import Booking
from tests.support.queue_ops import act, call_next, issue, ok, set_state

# The answer tapped for each question (1..4), as the labels read them.
TAPS = {
    1: "Sangat sesuai",
    2: "Mudah",
    3: "Kurang cepat",
    4: "Gratis",
    5: "Sesuai",
    6: "Sangat kompeten",
    7: "Sangat sopan dan ramah",
    8: "Berfungsi kurang maksimal",
    9: "Baik",
}


@pytest.mark.slow
def test_the_finished_ticket_offers_the_survey_and_the_answer_is_counted(
    bk: Booking, phone: Page
) -> None:
    ticket = issue(bk.kiosk, bk.office.services["A"])
    petugas1 = bk.anon.login("petugas1")
    set_state(petugas1, bk.office.counters[1], "open")
    called = call_next(petugas1, bk.office.counters[1])
    assert called is not None and called["id"] == ticket["id"]

    phone.goto(f"{bk.server.url}/t/{ticket['code']}")
    expect(phone.locator("#state")).to_have_text("Dipanggil — silakan menuju Loket 1")
    expect(phone.locator("#survei")).to_have_count(0)
    phone.wait_for_timeout(500)  # let the event stream connect
    act(petugas1, ticket["id"], "finish")

    # The stream reports "done" and the page reloads once, now with the survey.
    expect(phone.locator("#state")).to_have_text("Selesai")
    survey = phone.locator("#survei")
    expect(survey.locator("fieldset")).to_have_count(9)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
    for number, label in TAPS.items():
        answer = phone.locator(f"#q{number}").get_by_text(label, exact=True)
        answer.scroll_into_view_if_needed()
        box = answer.bounding_box()
        assert box is not None and box["height"] >= 44, f"a small tap target: {box}"
        answer.tap()
        expect(phone.locator(f"#q{number}").get_by_label(label, exact=True)).to_be_checked()
    phone.get_by_role("button", name="Kirim jawaban").tap()

    expect(phone).to_have_url(re.compile(rf"/t/{ticket['code']}#survei$"))
    expect(phone.locator("#survey-thanks")).to_contain_text("Terima kasih.")
    expect(phone.locator("#survei fieldset")).to_have_count(0)

    supervisor = bk.anon.login("supervisor")
    day = ticket["service_day"]
    report = ok(
        supervisor.get(
            f"/api/v1/branches/{bk.office.branch_id}/reports/summary?from={day}&to={day}"
        )
    )
    assert report["survey"]["responses"] == 1
    # The taps, element by element (4 3 2 4 3 4 4 3 3), as the report's means.
    means = [e["mean"] for e in report["survey"]["elements"]]
    assert means == [4.0, 3.0, 2.0, 4.0, 3.0, 4.0, 4.0, 3.0, 3.0]
