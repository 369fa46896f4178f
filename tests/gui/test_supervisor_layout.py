"""The supervisor's board as a supervisor uses it: whole service names and headings, a board
that stays put when a banner or a notice appears, and dialogs readable at arm's length."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QDialog, QScrollArea, QStyle, QWidget
from pytestqt.qtbot import QtBot

from counter_app.views.readable import MIN_DIALOG_WIDTH, MIN_TEXT_PX
from counter_app.views.supervisor.window import SupervisorWindow
from tests.gui.clipping import assert_nothing_clipped
from tests.gui.conftest import UseLanguage
from tests.gui.supervisor_helpers import Office, office, select_ticket, supervisor_window
from tests.gui.waits import WAIT_MS
from tests.support.queue_ops import issue

__all__ = ["office"]  # the fixture, used by name
SIZES = [(1280, 800), (1440, 860), (1024, 768)]


def settle(qtbot: QtBot, window: SupervisorWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=WAIT_MS)
    qtbot.wait(10)


def cut_cells(window: SupervisorWindow) -> list[str]:
    """Queue-table texts (cells and headings) wider than their column."""
    table = window.queues
    header = table.horizontalHeader()
    style = table.style()
    header_margins = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
    cell_margins = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    cut = []
    for col in range(table.columnCount()):
        width = header.sectionSize(col)
        title = table.horizontalHeaderItem(col)
        if title and header.fontMetrics().horizontalAdvance(title.text()) + header_margins > width:
            cut.append(f"heading {title.text()!r} in {width} px")
        for row in range(table.rowCount()):
            item = table.item(row, col)
            if item and table.fontMetrics().horizontalAdvance(item.text()) + cell_margins > width:
                cut.append(f"{item.text()!r} in {width} px")
    return cut


@pytest.mark.parametrize("language", ["id", "en"])
def test_service_names_and_headings_are_whole(
    qtbot: QtBot, office: Office, use_language: UseLanguage, language: str
) -> None:
    use_language(language)
    window = supervisor_window(qtbot, office.running.server.url)
    for size in SIZES:
        settle(qtbot, window, size)
        assert cut_cells(window) == [], size
        assert_nothing_clipped(window, f"at {size}")


def row_rect(window: SupervisorWindow, row: int) -> QRect:
    table = window.queues
    rect = table.visualItemRect(table.item(row, 0))
    top_left = table.viewport().mapToGlobal(rect.topLeft())
    return QRect(top_left, rect.size())


def test_banner_notice_and_running_text_move_no_row(qtbot: QtBot, office: Office) -> None:
    window = supervisor_window(qtbot, office.running.server.url)
    settle(qtbot, window, (1280, 800))
    before = row_rect(window, 1)
    button = window.cancel_button.mapToGlobal(QPoint(0, 0))
    window.banner.setVisible(True)
    window.show_notice("Nomor A-001 sudah dipanggil di loket lain; papan diperbarui. " * 3)
    window.running_text.setText("Teks berjalan: Loket 4 istirahat sampai 13.00")
    qtbot.wait(10)
    assert row_rect(window, 1) == before
    assert window.cancel_button.mapToGlobal(QPoint(0, 0)) == button
    window.banner.setVisible(False)
    window.notice.setVisible(False)
    qtbot.wait(10)
    assert row_rect(window, 1) == before


def readable(qtbot: QtBot, dialog: QWidget | None) -> None:
    assert isinstance(dialog, QDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert dialog.width() >= MIN_DIALOG_WIDTH
    texts = [w for w in dialog.findChildren(QWidget) if w.isVisible()]
    assert texts
    assert all(QFontInfo(w.font()).pixelSize() >= MIN_TEXT_PX for w in texts)
    assert_nothing_clipped(dialog, dialog.objectName())
    dialog.reject()


def test_dialogs_are_readable_at_arms_length(
    qtbot: QtBot, office: Office, use_language: UseLanguage
) -> None:
    use_language("id")
    running = office.running
    ticket = issue(running.kiosk, running.office.services["A"])
    window = supervisor_window(qtbot, running.server.url)
    select_ticket(qtbot, window, running.office.services["A"], ticket["id"])
    window.ask_cancel()
    readable(qtbot, window.cancel_box)
    window.open_transfer()
    readable(qtbot, window.transfer_dialog)
    window.open_running_text()
    readable(qtbot, window.text_dialog)


@pytest.mark.parametrize("size", SIZES)
def test_every_counter_card_is_whole_in_the_visible_width(
    qtbot: QtBot, office: Office, size: tuple[int, int]
) -> None:
    """Four counters at 1280×800 used to sit three a row in a panel wider than its scroll
    area: Loket 3 was cut at the edge, its state and buttons out of sight."""
    window = supervisor_window(qtbot, office.running.server.url)
    settle(qtbot, window, size)
    scroll = window.findChild(QScrollArea, "counters_scroll")
    assert scroll is not None
    qtbot.waitUntil(lambda: len(window.counters.cards) >= 4, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: scroll.horizontalScrollBar().maximum() == 0, timeout=WAIT_MS)
    visible = scroll.viewport().width()
    for card in window.counters.cards.values():
        right = card.mapTo(scroll.viewport(), QPoint(card.width(), 0)).x()
        assert card.mapTo(scroll.viewport(), QPoint(0, 0)).x() >= 0 and right <= visible, size
