"""Opening the supervisor window for a test, the way ``counter-app supervisor`` does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter_app.views.supervisor.run import open_supervisor_window
from counter_app.views.supervisor.session import sign_in_supervisor
from counter_app.views.supervisor.window import SupervisorWindow
from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.gui.waits import WAIT_MS
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.office import PASSWORD

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB


@dataclass
class Office:
    running: Running
    clock: FrozenClock


@pytest.fixture
def office(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> Iterator[Office]:
    """The demo office on a SQLite server whose clock stands still until a test moves it."""
    clock = FrozenClock(START)
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), clock=clock) as server:
        yield Office(Running(server, sqlite_office_template.office, Api(server.url)), clock)


def supervisor_window(qtbot: QtBot, url: str, username: str = "supervisor") -> SupervisorWindow:
    window = open_supervisor_window(sign_in_supervisor(url, username, PASSWORD))
    qtbot.addWidget(window, before_close_func=lambda w: w.shut_down())
    window.show()
    qtbot.waitUntil(lambda: window.controller.board is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(window.counters.cards), timeout=WAIT_MS)
    return window


def card_text(window: SupervisorWindow, counter_id: int) -> str:
    return window.counters.cards[counter_id].number.text()


def queue_row(window: SupervisorWindow, service_id: int) -> list[str]:
    row = window.queues.service_ids.index(service_id)
    cells = [window.queues.item(row, col) for col in range(4)]
    return [cell.text() if cell is not None else "" for cell in cells]


def select_ticket(qtbot: QtBot, window: SupervisorWindow, service_id: int, ticket_id: int) -> None:
    window.queues.select_service(service_id)
    qtbot.waitUntil(lambda: window.waiting.select_ticket(ticket_id), timeout=WAIT_MS)
