"""The kiosk at the sizes it meets in a hall: nothing cut off, nothing that moves under a
finger, only keys that can be part of a booking code, and a closed service that says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from counter_app.core.booking import BOOKING_CODE_ALPHABET
from counter_app.views.kiosk.pages import FAULT_STYLE
from counter_app.views.kiosk.window import KioskWindow
from tests.conftest import Running
from tests.gui.clipping import assert_nothing_clipped
from tests.gui.conftest import UseLanguage
from tests.gui.kiosk_helpers import kiosk_settings, kiosk_window
from tests.gui.waits import WAIT_MS
from tests.support.queue_ops import set_state

SIZES = [(1024, 768), (1280, 800), (1080, 1920)]
LONGEST_CHECK_IN_ERROR = (
    "Checking in online bookings is not available at this office. Please take a regular number."
)


def open_kiosk(qtbot: QtBot, running: Running, tmp_path: Path) -> KioskWindow:
    url, token = running.server.url, running.office.kiosk_token
    return kiosk_window(qtbot, url, token, kiosk_settings(tmp_path))


def settle(qtbot: QtBot, window: KioskWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=WAIT_MS)
    qtbot.wait(10)  # let the layouts run


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_screen_fits_at_hall_sizes(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path, use_language: UseLanguage, language: str
) -> None:
    use_language(language)
    office = running_sqlite.office
    set_state(running_sqlite.login("petugas1"), office.counters[1], "open")  # A open, rest closed
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    service_a = office.services["A"]

    def a_is_open() -> bool:  # the buttons are made anew on each board change
        return window.start_page.buttons[service_a].isEnabled()

    qtbot.waitUntil(a_is_open, timeout=WAIT_MS)
    window.start_page.buttons[service_a].click()
    window.priority_page.buttons[None].click()
    qtbot.waitUntil(lambda: window.ticket_page.ticket is not None, timeout=WAIT_MS)
    for size in SIZES:
        settle(qtbot, window, size)
        for page in (window.start_page, window.priority_page, window.ticket_page):
            window.pages.setCurrentWidget(page)
            qtbot.wait(10)
            assert_nothing_clipped(window, f"on {page.objectName()} at {size}")
        window.pages.setCurrentWidget(window.check_in_page)
        window.check_in_page.show_message(window.tr(LONGEST_CHECK_IN_ERROR))
        qtbot.wait(10)
        assert_nothing_clipped(window, f"on the check-in page at {size}")
        window.banner.setVisible(True)
        window.explain_closed(window.start_page.reason_text(next(iter(_reasons(window)))))
        window.pages.setCurrentWidget(window.start_page)
        qtbot.wait(10)
        assert_nothing_clipped(window, f"with the banner and a notice at {size}")
        window.banner.setVisible(False)
        window.notice.setVisible(False)


def _reasons(window: KioskWindow) -> list[object]:
    return [offer.reason for offer in window.controller.offers() if offer.reason is not None]


def test_a_closed_service_says_why_when_touched(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path, use_language: UseLanguage
) -> None:
    use_language("id")
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    qtbot.waitUntil(lambda: len(window.start_page.buttons) == 4, timeout=WAIT_MS)
    closed = window.start_page.buttons[running_sqlite.office.services["B"]]
    assert not closed.isEnabled()
    qtbot.mouseClick(closed, Qt.MouseButton.LeftButton)
    assert window.notice.isVisible()
    assert "Tutup: belum ada loket yang buka" in window.notice.text()
    assert "Silakan pilih layanan lain" in window.notice.text()
    assert window.pages.currentWidget() is window.start_page


def test_the_check_in_keypad_offers_exactly_the_booking_code_alphabet(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path, use_language: UseLanguage
) -> None:
    use_language("id")
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    keypad = window.check_in_page.keypad
    assert sorted(keypad.keys) == sorted(BOOKING_CODE_ALPHABET)
    assert "⌫" in keypad.erase_key.text() and "Hapus" in keypad.erase_key.text()
    assert keypad.clear_key.text() == "Kosongkan"
    window.start_page.check_in.click()
    for char in "AC":
        keypad.keys[char].click()
    keypad.erase_key.click()
    assert window.check_in_page.code.text() == "A"
    keypad.clear_key.click()
    assert window.check_in_page.code.text() == ""


@pytest.mark.parametrize("size", SIZES)
def test_a_check_in_error_moves_no_key(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path, size: tuple[int, int]
) -> None:
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    settle(qtbot, window, size)
    window.start_page.check_in.click()
    key = window.check_in_page.keypad.keys["A"]
    qtbot.wait(10)
    before = key.mapToGlobal(QPoint(0, 0)), key.size()
    window.check_in_page.show_message(LONGEST_CHECK_IN_ERROR, FAULT_STYLE)
    qtbot.wait(10)
    assert (key.mapToGlobal(QPoint(0, 0)), key.size()) == before
    assert_nothing_clipped(window.check_in_page, f"with the error at {size}")


def test_banners_and_notices_move_no_button(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path
) -> None:
    window = open_kiosk(qtbot, running_sqlite, tmp_path)
    settle(qtbot, window, (1024, 768))
    qtbot.waitUntil(lambda: len(window.start_page.buttons) == 4, timeout=WAIT_MS)
    button = next(iter(window.start_page.buttons.values()))
    before = button.mapToGlobal(QPoint(0, 0))
    window.banner.setVisible(True)
    window.show_notice("Mohon tunggu…")
    qtbot.wait(10)
    assert button.mapToGlobal(QPoint(0, 0)) == before
