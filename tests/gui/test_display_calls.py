"""The TV's big call, counter tiles and recent calls follow what happens after a call.

Against a real server: a transfer, a return, a break and a closing each end the call shown big
(it falls back to the latest call that still stands); a counter on break shows "On break";
the recent calls show each ticket once, a no-show marked "Missed".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from counter_app.views.display.run import OpenDisplay, open_display
from counter_app.views.display.settings import DisplaySettings
from tests.conftest import Running
from tests.gui.waits import WAIT_MS
from tests.support.http import Api
from tests.support.queue_ops import act, call_next, issue, set_state


@pytest.fixture
def tv(
    qtbot: QtBot, running_sqlite: Running, display_settings: DisplaySettings
) -> Iterator[OpenDisplay]:
    office = running_sqlite.office
    shown = open_display(
        office_url(running_sqlite), office.display_token, display_settings, windowed=True
    )
    qtbot.waitUntil(lambda: shown.station.feed is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown.station.feed.board is not None, timeout=WAIT_MS)  # type: ignore[union-attr]
    yield shown
    shown.close()


def office_url(running: Running) -> str:
    return running.server.url


def big(tv: OpenDisplay) -> tuple[str, str]:
    return tv.window.call.number.text(), tv.window.call.counter.text()


def called(officer: Api, counter_id: int) -> dict[str, object]:
    ticket = call_next(officer, counter_id)
    assert ticket is not None
    return ticket


def test_a_transfer_and_a_return_end_the_call_shown_big(
    tv: OpenDisplay, qtbot: QtBot, running_sqlite: Running
) -> None:
    office = running_sqlite.office
    for _ in range(3):
        issue(running_sqlite.kiosk, office.services["A"])
    first_officer = running_sqlite.login("petugas1")
    set_state(first_officer, office.counters[1], "open")
    third_officer = running_sqlite.login("petugas3")
    set_state(third_officer, office.counters[3], "open")
    a1 = called(first_officer, office.counters[1])
    qtbot.waitUntil(lambda: big(tv) == (a1["number"], "Loket 1"), timeout=WAIT_MS)
    act(first_officer, int(a1["id"]), "transfer", {"counter_id": office.counters[3], "note": ""})  # type: ignore[call-overload]
    # A-001 now waits for Loket 3: the TV no longer sends anyone to Loket 1.
    qtbot.waitUntil(lambda: big(tv) == ("—", ""), timeout=WAIT_MS)
    again = called(third_officer, office.counters[3])
    assert again["number"] == a1["number"]
    qtbot.waitUntil(lambda: big(tv) == (a1["number"], "Loket 3"), timeout=WAIT_MS)
    a2 = called(first_officer, office.counters[1])
    qtbot.waitUntil(lambda: big(tv) == (a2["number"], "Loket 1"), timeout=WAIT_MS)
    act(first_officer, int(a2["id"]), "return")  # type: ignore[call-overload]
    # Back in the queue: the big call falls back to the one still standing, at Loket 3.
    qtbot.waitUntil(lambda: big(tv) == (a1["number"], "Loket 3"), timeout=WAIT_MS)


def test_a_break_shows_on_break_and_a_closing_removes_the_tile(
    tv: OpenDisplay, qtbot: QtBot, running_sqlite: Running, use_language: object
) -> None:
    office = running_sqlite.office
    issue(running_sqlite.kiosk, office.services["A"])
    officer = running_sqlite.login("petugas1")
    set_state(officer, office.counters[1], "open")
    ticket = called(officer, office.counters[1])
    qtbot.waitUntil(lambda: big(tv) == (ticket["number"], "Loket 1"), timeout=WAIT_MS)
    act(officer, int(ticket["id"]), "finish")  # type: ignore[call-overload]
    set_state(officer, office.counters[1], "break")
    counters = tv.window.counters
    qtbot.waitUntil(lambda: counters.number_text(office.counters[1]) == "On break", timeout=WAIT_MS)
    assert big(tv) == ("—", "")
    assert not tv.window.call.highlighted
    set_state(officer, office.counters[1], "closed")
    qtbot.waitUntil(lambda: counters.number_text(office.counters[1]) is None, timeout=WAIT_MS)


def test_recent_calls_show_each_ticket_once_and_mark_a_no_show(
    tv: OpenDisplay, qtbot: QtBot, running_sqlite: Running
) -> None:
    office = running_sqlite.office
    for _ in range(3):
        issue(running_sqlite.kiosk, office.services["A"])
    officer = running_sqlite.login("petugas1")
    set_state(officer, office.counters[1], "open")
    first = called(officer, office.counters[1])
    act(officer, int(first["id"]), "recall")  # type: ignore[call-overload]
    act(officer, int(first["id"]), "recall")  # type: ignore[call-overload]
    act(officer, int(first["id"]), "skip")  # type: ignore[call-overload]
    second = called(officer, office.counters[1])
    act(officer, int(second["id"]), "recall")  # type: ignore[call-overload]
    act(officer, int(second["id"]), "finish")  # type: ignore[call-overload]
    third = called(officer, office.counters[1])
    qtbot.waitUntil(lambda: big(tv) == (third["number"], "Loket 1"), timeout=WAIT_MS)
    assert tv.window.recent.lines() == [
        (second["number"], "Loket 1"),
        (first["number"], "Missed"),
    ]
    # A fresh snapshot (a reconnect) draws the same.
    feed = tv.station.feed
    assert feed is not None
    feed.resync()
    qtbot.waitUntil(lambda: not feed._resyncing, timeout=WAIT_MS)
    assert tv.window.recent.lines() == [
        (second["number"], "Loket 1"),
        (first["number"], "Missed"),
    ]
