"""The counter's survey screen against a real server: a finish at its counter opens the nine
questions, the answers reach the server once, other counters are not its business, and it
goes back to idle by itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.cli import build_parser
from counter_app.core.ikm import ELEMENTS
from counter_app.server.context import Services
from counter_app.store.models import SurveyResponse
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.kiosk.widgets import min_target_px
from counter_app.views.settings import AppSettings
from counter_app.views.survey.run import OpenSurvey, open_survey_screen, remember
from counter_app.views.survey.settings import SurveySettings
from counter_app.views.survey.window import SurveyWindow
from tests.conftest import Running
from tests.gui.conftest import UseLanguage
from tests.gui.test_display import second_screen
from tests.gui.waits import WAIT_MS
from tests.integration.test_reports_survey import GOOD, survey_path
from tests.support.queue_ops import (
    act,
    call_next,
    expect_error,
    issue,
    journal_seq,
    ok,
    set_state,
)

ANSWERS = [1, 3, 2, 4, 3, 4, 4, 3, 1]


def finish_one(running: Running, counter: int, username: str = "petugas1") -> dict[str, Any]:
    """A ticket issued, called and finished at ``counter`` through the API."""
    officer = running.login(username)
    set_state(officer, running.office.counters[counter], "open")
    ticket = issue(running.kiosk, running.office.services["A"])
    called = call_next(officer, running.office.counters[counter])
    assert called is not None and called["id"] == ticket["id"]
    return act(officer, ticket["id"], "finish")


@pytest.fixture
def tablet(
    qtbot: QtBot, qapp: QApplication, running_sqlite: Running, app_settings: AppSettings
) -> Iterator[OpenSurvey]:
    settings = SurveySettings(app_settings.qt)
    assert settings.device_token == ""  # nothing remembered in the test's scratch settings
    shown = open_survey_screen(
        running_sqlite.server.url,
        running_sqlite.office.display_token,
        1,
        settings,
        screen=second_screen(qapp),
    )
    station = shown.station
    qtbot.waitUntil(
        lambda: station.feed is not None and station.feed.board is not None, timeout=WAIT_MS
    )
    yield shown
    shown.close()


def click(qtbot: QtBot, window: SurveyWindow, value: int) -> None:
    qtbot.mouseClick(window.answers[value - 1], Qt.MouseButton.LeftButton)


def channels(running: Running) -> list[str]:
    svc: Services = running.server.app.state.services
    with svc.db.read() as session:
        return list(session.scalars(select(SurveyResponse.channel).order_by(SurveyResponse.id)))


def test_a_finish_at_its_counter_asks_the_nine_questions_and_sends_them_once(
    qtbot: QtBot, tablet: OpenSurvey, running_sqlite: Running, qapp: QApplication
) -> None:
    window, station = tablet.window, tablet.station
    assert window.isFullScreen() and window.screen().name() == second_screen(qapp)
    assert window.showing() == "idle"
    qtbot.waitUntil(lambda: "Loket 1" in window.counter.text(), timeout=WAIT_MS)

    ticket = finish_one(running_sqlite, 1)
    qtbot.waitUntil(lambda: window.showing() == "question", timeout=WAIT_MS)
    assert station.form is not None and station.form.ticket.code == ticket["code"]
    assert window.element.text() == "Persyaratan"
    assert window.answers[3].caption.text() == "Sangat sesuai"
    assert ticket["number"] in window.progress.text() and "1 of 9" in window.progress.text()
    assert not window.back.isVisible()
    assert all(b.height() >= min_target_px(window.screen()) for b in window.answers)

    # Answer the first two, go back and change the second, then the rest.
    click(qtbot, window, 1)
    click(qtbot, window, 1)
    assert window.element.text() == ELEMENTS[2].name
    qtbot.mouseClick(window.back, Qt.MouseButton.LeftButton)
    assert window.element.text() == ELEMENTS[1].name
    assert window.answers[0].chosen  # the answer given is marked
    assert not any(b.chosen for b in window.answers[1:])
    for value in ANSWERS[1:]:
        assert window.showing() == "question"
        click(qtbot, window, value)
    qtbot.waitUntil(lambda: window.showing() == "Thank you!", timeout=WAIT_MS)
    assert [s.code for s in station.submitted] == [ticket["code"]]

    # The server has it, once, as given at the counter; a second answer is refused.
    assert ok(running_sqlite.anon.get(survey_path(ticket["code"])))["survey"] == "answered"
    expect_error(
        running_sqlite.anon.post(survey_path(ticket["code"]), GOOD), 409, "survey_already_answered"
    )
    assert channels(running_sqlite) == ["counter"]
    sup = running_sqlite.login("supervisor")
    day = ticket["service_day"]
    report = ok(
        sup.get(
            f"/api/v1/branches/{running_sqlite.office.branch_id}/reports/summary?from={day}&to={day}"
        )
    )
    assert [e["mean"] for e in report["survey"]["elements"]] == [float(v) for v in ANSWERS]

    # Thanks, then idle by itself.
    station.back_to_idle.setInterval(50)
    station.back_to_idle.start()
    qtbot.waitUntil(lambda: window.showing() == "idle", timeout=WAIT_MS)


def test_a_finish_at_another_counter_is_ignored_and_the_next_one_here_replaces_the_form(
    qtbot: QtBot, tablet: OpenSurvey, running_sqlite: Running
) -> None:
    window, station = tablet.window, tablet.station
    other = finish_one(running_sqlite, 2, "petugas2")
    seq = journal_seq(running_sqlite.login("supervisor"), running_sqlite.office.branch_id)
    board = station.feed.board if station.feed else None
    qtbot.waitUntil(lambda: board is not None and board.seq >= seq, timeout=WAIT_MS)
    assert window.showing() == "idle" and station.form is None  # counter 2's finish went by
    here = finish_one(running_sqlite, 1)
    qtbot.waitUntil(lambda: window.showing() == "question", timeout=WAIT_MS)
    assert station.form is not None and station.form.ticket.code == here["code"]
    click(qtbot, window, 3)
    nxt = finish_one(running_sqlite, 1)
    qtbot.waitUntil(
        lambda: station.form is not None and station.form.ticket.code == nxt["code"],
        timeout=WAIT_MS,
    )
    assert station.form is not None and station.form.answers == []
    assert window.element.text() == "Persyaratan"
    for code in (other["code"], here["code"], nxt["code"]):
        assert ok(running_sqlite.anon.get(survey_path(code)))["survey"] == "open"
    assert station.submitted == []


def test_an_unanswered_form_goes_back_to_idle(
    qtbot: QtBot, tablet: OpenSurvey, running_sqlite: Running
) -> None:
    window, station = tablet.window, tablet.station
    station.form_seconds = 1
    finish_one(running_sqlite, 1)
    qtbot.waitUntil(lambda: window.showing() == "question", timeout=WAIT_MS)
    click(qtbot, window, 4)  # one answer, then the citizen walks away
    qtbot.waitUntil(lambda: window.showing() == "idle", timeout=WAIT_MS)
    assert station.form is None and station.submitted == []
    assert channels(running_sqlite) == []


def test_the_screen_speaks_indonesian(
    qtbot: QtBot, use_language: UseLanguage, running_sqlite: Running, qapp: QApplication
) -> None:
    use_language("id")
    window = SurveyWindow()
    qtbot.addWidget(window)
    assert window.idle_title.text() == "Terima kasih"
    window.show_question(0, "A-001", None)
    assert window.progress.text() == "Survei kepuasan · nomor A-001 · pertanyaan 1 dari 9"
    window.show_thanks()
    assert window.showing() == "Terima kasih!"


def test_the_command_line_is_remembered_and_the_tv_token_is_the_fallback(
    app_settings: AppSettings,
) -> None:
    args = build_parser().parse_args(["survey-tablet", "--counter", "3", "--screen", "HDMI-2"])
    assert (args.counter, args.screen, args.token, args.windowed) == (3, "HDMI-2", None, False)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["survey-tablet", "--counter", "0"])
    settings = SurveySettings(app_settings.qt)
    remember(settings, token=args.token, counter=args.counter, screen=args.screen)
    assert (settings.counter, settings.screen, settings.device_token) == (3, "HDMI-2", "")
    DisplaySettings(app_settings.qt).device_token = "tv-token"
    assert settings.device_token == "tv-token"  # a counter PC that also drives the TV
    remember(settings, token="own-token", counter=None, screen=None)
    assert (settings.device_token, settings.counter) == ("own-token", 3)
    assert (settings.form_seconds, settings.thanks_seconds) == (120, 8)
