"""The server goes away mid-shift and comes back: the counter window waits, retries, resyncs.

A real server on a SQLite file is stopped while the officer works, then started again on the
same port and database, as after a server PC reboot. The press of Call next made while it is
away must call exactly one ticket once it is back (the same idempotency key), the banner must
say what is going on meanwhile, and the window must catch up with what happened elsewhere
(a ticket issued while it was away) without a restart.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.settings import AppSettings
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.gui.counter_helpers import counter_window, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.ports import free_port
from tests.support.queue_ops import issue

RETRY_WAIT_MS = 20_000  # the window retries every 2 s; a reconnect may take a few rounds


def test_the_server_going_away_and_coming_back_mid_shift(
    qtbot: QtBot, sqlite_office_template: OfficeTemplate, tmp_path: Path, app_settings: AppSettings
) -> None:
    office = sqlite_office_template.office
    db_url = sqlite_copy(sqlite_office_template, tmp_path)
    port = free_port()
    with run_server(db_url, port=port) as server:
        first = issue(Api(server.url).as_token(office.kiosk_token), office.services["A"])
        window = counter_window(qtbot, server.url, "petugas1", 1, app_settings)
        qtbot.waitUntil(lambda: window.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    # The server is gone. The officer presses F1 anyway.
    window.buttons[CounterCommand.CALL_NEXT].click()
    qtbot.waitUntil(window.banner.isVisible, timeout=RETRY_WAIT_MS)
    assert window.controller.busy  # the press waits; a second one would be refused
    window.buttons[CounterCommand.CALL_NEXT].click()
    assert shown_number(window) != first["number"]

    with run_server(db_url, port=port) as server:
        kiosk = Api(server.url).as_token(office.kiosk_token)
        second = issue(kiosk, office.services["A"])  # happened while the window was away
        qtbot.waitUntil(lambda: shown_number(window) == first["number"], timeout=RETRY_WAIT_MS)
        qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=RETRY_WAIT_MS)
        qtbot.waitUntil(
            lambda: [t.number for t in window.controller.waiting()] == [second["number"]],
            timeout=RETRY_WAIT_MS,
        )
        supervisor = Api(server.url).login("supervisor")
        tickets = {
            t["number"]: t["state"]
            for t in (
                supervisor.get(f"/api/v1/tickets/{ticket['id']}").json()
                for ticket in (first, second)
            )
        }
        # Two presses, one server outage: exactly one ticket called, the first one.
        assert tickets == {first["number"]: "called", second["number"]: "waiting"}
        window.shut_down()
