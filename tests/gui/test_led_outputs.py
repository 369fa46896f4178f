"""Serial LED displays driven from the counter window and from the TV station (socket://)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from counter_app.hardware.led_frames import StxEtxEncoder
from counter_app.views.counter.controller import CounterCommand
from counter_app.views.display.run import open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.counter_helpers import counter_window, press, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.led_display import SimulatedDisplay
from tests.support.queue_ops import call_next, issue, set_state


@pytest.fixture
def led() -> Iterator[SimulatedDisplay]:
    display = SimulatedDisplay()
    yield display
    display.close()


def frame(address: int, text: str) -> bytes:
    return StxEtxEncoder(8, "right").encode(address, text)


def test_the_counter_window_shows_its_call_on_its_led_display(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings, led: SimulatedDisplay
) -> None:
    app_settings.led_display = f"socket://127.0.0.1:{led.port},address=1"
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    press(qtbot, window, CounterCommand.CALL_NEXT)
    qtbot.waitUntil(lambda: shown_number(window) == ticket["number"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: frame(1, ticket["number"]) in led.data(), timeout=WAIT_MS)
    window.buttons[CounterCommand.FINISH].click()
    qtbot.waitUntil(lambda: led.data().endswith(frame(1, "")), timeout=WAIT_MS)


def test_an_unreachable_led_display_is_reported_and_never_blocks_a_call(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    nobody = SimulatedDisplay()
    port = nobody.port
    nobody.close()  # nothing listens there any more
    app_settings.led_display = f"socket://127.0.0.1:{port},address=1"
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    press(qtbot, window, CounterCommand.CALL_NEXT)
    qtbot.waitUntil(lambda: shown_number(window) == ticket["number"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "LED" in window.notice.text(), timeout=WAIT_MS)
    assert window.notice.isVisible()


def test_the_tv_station_drives_one_led_display_per_counter(
    qtbot: QtBot,
    running_sqlite: Running,
    display_settings: DisplaySettings,
    led: SimulatedDisplay,
) -> None:
    office = running_sqlite.office
    display_settings.led_displays = (
        f"1=socket://127.0.0.1:{led.port},address=1\n2=socket://127.0.0.1:{led.port},address=2"
    )
    shown = open_display(
        running_sqlite.server.url, office.display_token, display_settings, windowed=True
    )
    try:
        issue(running_sqlite.kiosk, office.services["A"])
        issue(running_sqlite.kiosk, office.services["A"])
        first, second = running_sqlite.login("petugas1"), running_sqlite.login("petugas2")
        set_state(first, office.counters[1], "open")
        set_state(second, office.counters[2], "open")
        one = call_next(first, office.counters[1])
        two = call_next(second, office.counters[2])
        assert one is not None and two is not None
        qtbot.waitUntil(
            lambda: frame(1, one["number"]) in led.data() and frame(2, two["number"]) in led.data(),
            timeout=WAIT_MS,
        )
    finally:
        shown.close()
