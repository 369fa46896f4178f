"""The waiting-room TV window against a real server: placement, live calls, reconnects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.core.vocabulary import EventKind
from counter_app.schemas.tickets import EventOut
from counter_app.views.counter.run import open_display_beside
from counter_app.views.display.run import OpenDisplay, open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings
from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.gui.conftest import UseLanguage
from tests.gui.waits import WAIT_MS
from tests.support.error_logs import ErrorLogs
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import act, call_next, issue, set_state


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


def test_the_clock_shows_the_servers_time_in_the_branch_zone_in_indonesian(
    qtbot: QtBot,
    sqlite_office_template: OfficeTemplate,
    tmp_path: Path,
    display_settings: DisplaySettings,
    use_language: UseLanguage,
) -> None:
    use_language("id")
    clock = FrozenClock(datetime(2026, 3, 2, 3, 4, 5, tzinfo=UTC))  # Monday 10.04.05 WIB
    office = sqlite_office_template.office
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), clock=clock) as server:
        shown = open_display(server.url, office.display_token, display_settings, windowed=True)
        try:
            qtbot.waitUntil(lambda: shown.window.header.date.text() != "", timeout=WAIT_MS)
            assert shown.window.header.date.text() == "Senin, 2 Maret 2026"
            assert shown.window.header.clock.text().startswith("10.04.0")
            assert shown.window.header.office.text() == "Disdukcapil Kota Contoh"
        finally:
            shown.close()


def test_the_logo_and_the_media_folder_are_shown(
    qtbot: QtBot, running_sqlite: Running, display_settings: DisplaySettings, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    for name, colour in (
        ("01-welcome.png", Qt.GlobalColor.red),
        ("02-info.png", Qt.GlobalColor.blue),
    ):
        picture = QPixmap(320, 180)
        picture.fill(colour)
        assert picture.save(str(media / name))
    (media / "notes.txt").write_text("not a picture")
    logo = tmp_path / "logo.png"
    square = QPixmap(64, 64)
    square.fill(Qt.GlobalColor.green)
    assert square.save(str(logo))
    display_settings.logo = logo
    display_settings.media_folder = media
    shown = open_display(
        running_sqlite.server.url, running_sqlite.office.display_token, display_settings,
        windowed=True,
    )  # fmt: skip
    try:
        area = shown.window.media
        assert area is not None
        qtbot.waitUntil(lambda: area.current is not None, timeout=WAIT_MS)
        assert area.current == media / "01-welcome.png"
        area.show_next()
        assert area.current == media / "02-info.png"
        area.show_next()  # round again: the folder is read anew
        assert area.current == media / "01-welcome.png"
        assert shown.window.header.logo.isVisibleTo(shown.window)
        assert not shown.window.header.logo.pixmap().isNull()
    finally:
        shown.close()


def test_a_missing_screen_waits_on_the_primary_one_and_the_tv_gets_it_back(
    tv: OpenDisplay, qapp: QApplication
) -> None:
    """What the screenAdded/screenRemoved handlers do, with the wanted screen made absent."""
    wanted = tv.keeper.wanted
    tv.keeper.wanted = "HDMI-unplugged"
    tv.keeper.place()
    assert tv.window.screen() is qapp.primaryScreen()
    tv.keeper.wanted = wanted
    tv.keeper.place()
    assert tv.window.screen().name() == wanted
    assert tv.window.isFullScreen()


def test_a_counter_pc_opens_the_tv_beside_its_window_on_the_given_screen(
    qtbot: QtBot,
    qapp: QApplication,
    running_sqlite: Running,
    app_settings: AppSettings,
    error_logs: ErrorLogs,
) -> None:
    """``counter-app counter --with-display --screen N``: the TV in the counter's process."""
    DisplaySettings(app_settings.qt).announce = False
    assert open_display_beside(running_sqlite.server.url, app_settings, None, "1", False) is None
    assert [record.getMessage() for record in error_logs.take()] == [
        "--with-display needs a display device token: add --token TOKEN once"
    ]
    shown = open_display_beside(
        running_sqlite.server.url,
        app_settings,
        running_sqlite.office.display_token,
        second_screen(qapp),
        False,
    )
    assert shown is not None
    try:
        qtbot.waitUntil(lambda: shown.station.feed is not None, timeout=WAIT_MS)
        assert shown.window.screen().name() == second_screen(qapp)
        assert shown.window.isFullScreen()
        assert shown.station.player is None  # this PC does not speak: --no-announce
    finally:
        shown.close()


def test_a_token_that_is_not_a_displays_is_shown_to_the_technician(
    qtbot: QtBot,
    running_sqlite: Running,
    display_settings: DisplaySettings,
    error_logs: ErrorLogs,
) -> None:
    shown = open_display(
        running_sqlite.server.url, running_sqlite.office.kiosk_token, display_settings,
        windowed=True,
    )  # fmt: skip
    try:
        qtbot.waitUntil(shown.window.offline.isVisible, timeout=WAIT_MS)
        assert shown.window.offline.text() == "This token is not a display device's token."
        assert shown.station.feed is None
        assert [record.getMessage() for record in error_logs.take()] == [
            "display device refused by the server: This token is not a display device's token."
        ]
    finally:
        shown.close()
