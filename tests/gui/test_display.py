"""The waiting-room TV window against a real server: placement, live calls, reconnects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.core.vocabulary import EventKind
from counter_app.schemas.tickets import EventOut
from counter_app.views.display.run import OpenDisplay, open_display
from counter_app.views.display.settings import DisplaySettings
from tests.conftest import Running
from tests.support.queue_ops import act, call_next, issue, set_state

WAIT_MS = 10_000


def second_screen(qapp: QApplication) -> str:
    """The TV: the configured screen that is not the primary one."""
    others = [s.name() for s in qapp.screens() if s is not qapp.primaryScreen()]
    assert others, "the GUI tests run with two screens (tests/gui/two_screens.json)"
    return others[0]


@pytest.fixture
def tv(
    qtbot: QtBot, qapp: QApplication, running_sqlite: Running, display_settings: DisplaySettings
) -> Iterator[OpenDisplay]:
    shown = open_display(
        running_sqlite.server.url,
        running_sqlite.office.display_token,
        display_settings,
        screen=second_screen(qapp),
    )
    qtbot.waitUntil(lambda: shown.station.feed is not None, timeout=WAIT_MS)
    assert shown.station.feed is not None
    qtbot.waitUntil(lambda: shown.station.feed.board is not None, timeout=WAIT_MS)  # type: ignore[union-attr]
    yield shown
    shown.close()


def test_the_window_lands_fullscreen_on_the_chosen_screen_without_a_cursor(
    tv: OpenDisplay, qapp: QApplication
) -> None:
    assert tv.window.screen().name() == second_screen(qapp)
    assert tv.window.screen() is not qapp.primaryScreen()
    assert tv.window.isFullScreen()
    assert tv.window.geometry() == tv.window.screen().geometry()
    assert tv.window.cursor().shape() == Qt.CursorShape.BlankCursor


def test_a_screen_named_by_number_and_an_unknown_one_fall_where_expected(
    qapp: QApplication,
) -> None:
    from counter_app.views.display.screens import pick_screen

    screens = qapp.screens()
    primary = qapp.primaryScreen()
    assert pick_screen(screens, "1", primary) is screens[1]
    assert pick_screen(screens, "Laptop", primary).name() == "Laptop"
    assert pick_screen(screens, "HDMI-9", primary) is primary
    assert pick_screen(screens, "7", primary) is primary
    assert pick_screen(screens, None, primary) is primary


def test_a_call_shows_its_number_in_the_same_event_loop_turn(
    tv: OpenDisplay, qtbot: QtBot, running_sqlite: Running
) -> None:
    office = running_sqlite.office
    ticket = issue(running_sqlite.kiosk, office.services["A"])
    officer = running_sqlite.login("petugas1")
    set_state(officer, office.counters[1], "open")
    feed = tv.station.feed
    assert feed is not None
    seen: list[tuple[str, str]] = []

    def after_the_feed(event: EventOut) -> None:
        # Connected after the feed's own slot: runs in the same turn, right after it.
        if event.kind == EventKind.TICKET_CALLED:
            seen.append((event.ticket.number if event.ticket else "", tv.window.call.number.text()))

    feed.live.event_received.connect(after_the_feed)
    called = call_next(officer, office.counters[1])
    assert called is not None and called["number"] == ticket["number"]
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen[0] == (ticket["number"], ticket["number"])
    assert tv.window.call.counter.text() == "Loket 1"
    assert tv.window.call.highlighted
    assert tv.window.counters.number_text(office.counters[1]) == ticket["number"]


def test_recent_calls_waiting_counts_and_running_text_follow_the_server(
    tv: OpenDisplay, qtbot: QtBot, running_sqlite: Running
) -> None:
    office = running_sqlite.office
    for _ in range(3):
        issue(running_sqlite.kiosk, office.services["B"])
    waiting_b = tv.window.waiting.rows[office.services["B"]][1]
    qtbot.waitUntil(lambda: waiting_b.text() == "3", timeout=WAIT_MS)
    officer = running_sqlite.login("petugas2")
    set_state(officer, office.counters[2], "open")
    first = call_next(officer, office.counters[2])
    assert first is not None
    act(officer, first["id"], "finish")
    second = call_next(officer, office.counters[2])
    assert second is not None
    qtbot.waitUntil(lambda: tv.window.call.number.text() == second["number"], timeout=WAIT_MS)
    assert tv.window.recent.numbers() == [first["number"]]
    assert waiting_b.text() == "1"
    supervisor = running_sqlite.login("supervisor")
    text = "Loket 4 istirahat pukul 12.00–13.00"
    response = supervisor.put(
        f"/api/v1/branches/{office.branch_id}/running-text", json={"text": text}
    )
    assert response.status_code == 200, response.text
    qtbot.waitUntil(lambda: tv.window.running.text() == text, timeout=WAIT_MS)
    assert tv.window.running.isVisible()


def test_a_resync_repaints_without_announcing_old_calls(
    tv: OpenDisplay, qtbot: QtBot, running_sqlite: Running
) -> None:
    office = running_sqlite.office
    issue(running_sqlite.kiosk, office.services["A"])
    officer = running_sqlite.login("petugas1")
    set_state(officer, office.counters[1], "open")
    called = call_next(officer, office.counters[1])
    assert called is not None
    qtbot.waitUntil(lambda: tv.window.call.number.text() == called["number"], timeout=WAIT_MS)
    feed = tv.station.feed
    assert feed is not None
    calls_before = tv.station.live_calls
    feed.resync()
    qtbot.waitUntil(lambda: not feed._resyncing, timeout=WAIT_MS)
    assert tv.window.call.number.text() == called["number"]
    assert tv.station.live_calls == calls_before


def test_the_layout_scales_from_full_hd_to_1366_by_768(tv: OpenDisplay, qtbot: QtBot) -> None:
    window = tv.window
    window.showNormal()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.scaler.scale == pytest.approx(1.0), timeout=WAIT_MS)
    big = window.call.number.font().pixelSize()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.scaler.scale < 0.75, timeout=WAIT_MS)
    small = window.call.number.font().pixelSize()
    assert small == round(big * min(1366 / 1920, 768 / 1080))
    for part in (window.call, window.counters, window.recent, window.waiting):
        assert part.isVisible() and part.height() > 0 and part.width() > 0
