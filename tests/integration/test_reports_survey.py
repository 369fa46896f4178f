"""The public SKM survey: one response per ticket code, only after the service is done, clear
errors that leave nothing stored, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.queue_ops import act, call_next, expect_error, issue, ok, set_state

GOOD = {f"u{i}": 4 for i in range(1, 10)}


def served_ticket(running: Running, prefix: str = "A", counter: int = 1) -> dict[str, Any]:
    officer = running.login("petugas1")
    set_state(officer, running.office.counters[counter], "open")
    ticket = issue(running.kiosk, running.office.services[prefix])
    called = call_next(officer, running.office.counters[counter])
    assert called is not None and called["id"] == ticket["id"]
    return act(officer, ticket["id"], "finish")


def survey_path(code: str) -> str:
    return f"/api/v1/public/tickets/{code}/survey"


def responses_in_report(running: Running, day: str) -> dict[str, int]:
    sup = running.login("supervisor")
    report = ok(
        sup.get(f"/api/v1/branches/{running.office.branch_id}/reports/summary?from={day}&to={day}")
    )
    return {s["prefix"]: s["survey"]["responses"] for s in report["services"]} | {
        "all": report["survey"]["responses"]
    }


def test_form_lists_the_nine_elements(running: Running) -> None:
    form = ok(running.anon.get("/api/v1/public/survey"))
    assert form["scale"] == [1, 2, 3, 4]
    assert [e["code"] for e in form["elements"]] == [f"U{i}" for i in range(1, 10)]
    assert form["elements"][0]["name"] == "Persyaratan"
    assert form["elements"][0]["labels"] == [
        "Tidak sesuai",
        "Kurang sesuai",
        "Sesuai",
        "Sangat sesuai",
    ]


def test_one_response_per_done_ticket(running: Running) -> None:
    ticket = served_ticket(running)
    code = ticket["code"]
    status = ok(running.anon.get(survey_path(code)))
    assert status == {
        "code": code,
        "number": ticket["number"],
        "ticket_state": "done",
        "survey": "open",
    }
    # The code is read case-insensitively, like the status page's.
    answer = ok(running.anon.post(survey_path(code.lower()), GOOD), 201)
    assert set(answer) == {"code", "number", "service_name", "submitted_at"}
    assert (answer["code"], answer["number"], answer["service_name"]) == (
        code,
        ticket["number"],
        "Perekaman KTP-el",
    )
    assert ok(running.anon.get(survey_path(code)))["survey"] == "answered"
    expect_error(running.anon.post(survey_path(code), GOOD), 409, "survey_already_answered")
    assert responses_in_report(running, ticket["service_day"])["A"] == 1


def test_refusals_leave_nothing_stored(running: Running) -> None:
    expect_error(running.anon.post(survey_path("ZZZZ9999"), GOOD), 404, "ticket_not_found")
    expect_error(running.anon.get(survey_path("ZZZZ9999")), 404, "ticket_not_found")
    expect_error(running.anon.post(survey_path("bad-code!"), GOOD), 422, "invalid_input")

    waiting = issue(running.kiosk, running.office.services["B"])
    body = expect_error(
        running.anon.post(survey_path(waiting["code"]), GOOD), 409, "ticket_not_done"
    )
    assert body["details"] == {"state": "waiting"}
    assert ok(running.anon.get(survey_path(waiting["code"])))["survey"] == "not_available"

    ticket = served_ticket(running)
    code = ticket["code"]
    for bad in (
        {**GOOD, "u1": 0},
        {**GOOD, "u9": 5},
        {**GOOD, "u3": "4"},
        {**GOOD, "u4": 3.5},
        {**GOOD, "u5": True},
        {**GOOD, "u6": None},
        {k: v for k, v in GOOD.items() if k != "u9"},
        {**GOOD, "u10": 4},
        {**GOOD, "name": "Budi"},
        [4] * 9,
    ):
        expect_error(running.anon.post(survey_path(code), bad), 422, "invalid_input")
    assert ok(running.anon.get(survey_path(code)))["survey"] == "open"
    assert responses_in_report(running, ticket["service_day"]) == {
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 0,
        "all": 0,
    }
    # The same ticket can still answer once, with good answers.
    ok(running.anon.post(survey_path(code), GOOD), 201)


def test_a_transferred_ticket_answers_once_for_the_service_that_finished_it(
    running: Running,
) -> None:
    officer = running.login("petugas1")
    set_state(officer, running.office.counters[1], "open")
    first = issue(running.kiosk, running.office.services["A"])
    call_next(officer, running.office.counters[1])
    continued = act(officer, first["id"], "transfer", {"service_id": running.office.services["B"]})
    assert continued["code"] == first["code"]
    # The first row is closed as transferred, but the visible ticket is not done yet.
    expect_error(running.anon.post(survey_path(first["code"]), GOOD), 409, "ticket_not_done")
    other = running.login("petugas3")
    set_state(other, running.office.counters[3], "open")
    assert call_next(other, running.office.counters[3])["id"] == continued["id"]  # type: ignore[index]
    act(other, continued["id"], "finish")
    answer = ok(running.anon.post(survey_path(first["code"]), GOOD), 201)
    assert answer["service_name"] == "Kartu Keluarga"
    expect_error(
        running.anon.post(survey_path(first["code"]), GOOD), 409, "survey_already_answered"
    )
    counts = responses_in_report(running, first["service_day"])
    assert (counts["A"], counts["B"], counts["all"]) == (0, 1, 1)


def test_survey_is_rate_limited_like_the_status_page(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    # The burst of 30 as usual, refilled so slowly that a slow machine cannot refill a
    # place between the last post and the read (the limiter is the same on both databases).
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), public_per_second=0.01) as srv:
        anon = Api(srv.url)
        path = "/api/v1/public/tickets/ZZZZ9999/survey"
        codes = [anon.post(path, {"u1": 9}).status_code for _ in range(40)]
        assert codes[0] == 422  # refused as invalid, but counted: the limit comes first …
        assert codes[-1] == 429  # … and once the burst of 30 is spent, everything waits
        expect_error(anon.get("/api/v1/public/tickets/ZZZZ9999"), 429, "rate_limited")
