"""The counter window names the citizen of an online booking: booked through the public API,
checked in with the kiosk's token, called at the window; a walk-in ticket shows no name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.gui.counter_helpers import counter_window, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.booking import Booking, book
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import issue, journal_seq, ok

SLOT_1000 = "2026-03-02T03:00:00Z"  # Monday 10:00 WIB


@pytest.fixture
def bk(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> Iterator[Booking]:
    clock = FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # Monday 08:00 WIB
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), clock=clock) as server:
        yield Booking(server, sqlite_office_template.office, clock, Api(server.url))


def shown_name(window: CounterWindow) -> str:
    label = window.ticket_panel.booking
    return label.text() if label.isVisibleTo(window) else ""


def test_the_booking_name_is_shown_for_a_checked_in_ticket(
    qtbot: QtBot, bk: Booking, app_settings: AppSettings
) -> None:
    a = bk.office.services["A"]
    created = book(bk.anon, a, SLOT_1000, 1, name="Wayan Sudarta")
    bk.clock.now = datetime(2026, 3, 2, 2, 50, tzinfo=UTC)  # 09:50: check-in is open
    booked = ok(
        bk.anon.as_token(bk.office.kiosk_token).post(
            "/api/v1/bookings/check-in", {"code": created["code"]}
        ),
        201,
    )
    assert booked["booking_name"] is None  # the kiosk is a public screen
    walk_in = issue(bk.kiosk, a)
    window = counter_window(qtbot, bk.server.url, "petugas1", 1, app_settings)
    assert shown_name(window) == ""

    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)  # the due appointment goes first
    qtbot.waitUntil(lambda: shown_number(window) == booked["number"], timeout=WAIT_MS)
    # The call's answer carries the name; the ticket.called event (which may come first)
    # does not.
    qtbot.waitUntil(lambda: shown_name(window) == "Online booking: Wayan Sudarta", timeout=WAIT_MS)
    # The ticket.called event (which never carries the name) replaces the board's copy of
    # the ticket; the name stays.
    seq = journal_seq(bk.anon.login("supervisor"), bk.office.branch_id)
    board = window.controller.board
    qtbot.waitUntil(lambda: board is not None and board.seq >= seq, timeout=WAIT_MS)
    window.refresh()
    assert shown_name(window) == "Online booking: Wayan Sudarta"

    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.FINISH), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: shown_number(window) == "—", timeout=WAIT_MS)
    assert shown_name(window) == ""
    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: shown_number(window) == walk_in["number"], timeout=WAIT_MS)
    assert shown_name(window) == ""


def test_a_window_opened_after_the_call_asks_for_the_name(
    qtbot: QtBot, bk: Booking, app_settings: AppSettings
) -> None:
    """Called before this window started (the officer restarted the app): the name comes
    from get_ticket, since the snapshot does not carry it."""
    created = book(bk.anon, bk.office.services["A"], SLOT_1000, 2, name="Siti Aminah")
    bk.clock.now = datetime(2026, 3, 2, 2, 50, tzinfo=UTC)
    booked = ok(bk.kiosk.post("/api/v1/bookings/check-in", {"code": created["code"]}), 201)
    petugas1 = bk.anon.login("petugas1")
    ok(petugas1.post(f"/api/v1/counters/{bk.office.counters[1]}/state", {"state": "open"}))
    ok(petugas1.post(f"/api/v1/counters/{bk.office.counters[1]}/call-next"))
    window = counter_window(qtbot, bk.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(lambda: shown_number(window) == booked["number"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown_name(window) == "Online booking: Siti Aminah", timeout=WAIT_MS)
