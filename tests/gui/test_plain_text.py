"""Text typed by people shows literally in every window, never as HTML.

Names (office, services, counters, officers), a break reason and the running text are set to
markup; then every QLabel of the supervisor board, a counter window, the kiosk and the TV is
walked: each is plain text, or holds nothing Qt would take for rich text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from counter_app.client.api import ApiClient
from counter_app.views.display.run import open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.plain import plain_label, set_plain
from counter_app.views.reports.period import QuickPeriod
from counter_app.views.reports.window import ReportsWindow
from counter_app.views.settings import AppSettings
from counter_app.views.survey.run import open_survey_screen
from counter_app.views.survey.settings import SurveySettings
from tests.conftest import OfficeTemplate, Running, sqlite_copy
from tests.gui.counter_helpers import counter_window
from tests.gui.kiosk_helpers import kiosk_settings, kiosk_window
from tests.gui.supervisor_helpers import supervisor_window
from tests.gui.waits import WAIT_MS
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.queue_ops import call_next, issue, ok, set_state

BIG_RED = '<span style="font-size:60px;color:red">ISTIRAHAT</span>'
LOCAL_FILE = "<img src=file:///etc/hostname>"
NAME = "<b>Pak</b> <i>Budi</i>"


@pytest.fixture
def hostile(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> Iterator[Running]:
    """The demo office with markup in every name a person sets, and in the running text."""
    url = sqlite_copy(sqlite_office_template, tmp_path)
    with sqlite3.connect(str(make_url(url).database)) as db:
        db.execute(
            "UPDATE branches SET name = ?, running_text = ?", (f"<h1>{NAME}</h1>", LOCAL_FILE)
        )
        db.execute("UPDATE services SET name = '<u>' || name || '</u>'")
        db.execute("UPDATE counters SET name = '<font color=red>' || name || '</font>'")
        db.execute("UPDATE users SET full_name = ?", (NAME,))
    with run_server(url) as server:
        yield Running(server, sqlite_office_template.office, Api(server.url))


def rich_labels(window: QWidget) -> list[str]:
    """Labels that would render their text as HTML."""
    found = []
    for label in [window, *window.findChildren(QLabel)]:
        if not isinstance(label, QLabel):
            continue
        plain = label.textFormat() == Qt.TextFormat.PlainText
        if not plain and (
            label.textFormat() == Qt.TextFormat.RichText or GuiQt.mightBeRichText(label.text())
        ):
            found.append(f"{label.objectName() or type(label).__name__}: {label.text()!r}")
    return found


def shown_texts(window: QWidget) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel)]


def test_names_reasons_and_running_text_never_render_as_html(
    qtbot: QtBot,
    qapp: QApplication,
    hostile: Running,
    app_settings: AppSettings,
    display_settings: DisplaySettings,
    tmp_path: Path,
) -> None:
    office = hostile.office
    petugas1 = hostile.login("petugas1")
    set_state(petugas1, office.counters[1], "open")
    ok(
        petugas1.post(
            f"/api/v1/counters/{office.counters[1]}/state", {"state": "break", "reason": BIG_RED}
        )
    )
    petugas2 = hostile.login("petugas2")
    set_state(petugas2, office.counters[2], "open")
    issue(hostile.kiosk, office.services["A"])
    assert call_next(petugas2, office.counters[2]) is not None

    board = supervisor_window(qtbot, hostile.server.url)
    card = board.counters.cards[office.counters[1]]
    qtbot.waitUntil(lambda: BIG_RED in card.state.text(), timeout=WAIT_MS)
    counter = counter_window(qtbot, hostile.server.url, "petugas3", 3, app_settings)
    kiosk = kiosk_window(qtbot, hostile.server.url, office.kiosk_token, kiosk_settings(tmp_path))
    client = ApiClient(hostile.server.url, board.controller.client.token)
    reports = ReportsWindow(client, office.branch_id)
    qtbot.addWidget(reports)
    with qtbot.waitSignal(reports.report_shown, timeout=WAIT_MS):
        reports.choose_quick(QuickPeriod.LAST_30_DAYS)
    tv = open_display(hostile.server.url, office.display_token, display_settings, windowed=True)
    survey = open_survey_screen(
        hostile.server.url,
        office.display_token,
        1,
        SurveySettings(app_settings.qt),
        windowed=True,
    )
    try:
        qtbot.waitUntil(lambda: tv.station.feed is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: tv.window.running.text() == LOCAL_FILE, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: survey.station.feed is not None, timeout=WAIT_MS)
        windows = {
            "supervisor": board,
            "counter": counter,
            "kiosk": kiosk,
            "tv": tv.window,
            "survey": survey.window,
            "reports": reports,
        }
        # The markup did reach the windows, shown as typed.
        assert any(NAME in text for text in shown_texts(board))
        assert any(LOCAL_FILE in text for text in shown_texts(board))
        assert any("<font color=red>" in text for text in shown_texts(tv.window))
        for name, window in windows.items():
            assert rich_labels(window) == [], name
        assert reports.runner.wait(WAIT_MS)
    finally:
        survey.close()
        tv.close()
        client.close()


def test_the_factory_keeps_labels_and_message_boxes_plain(qtbot: QtBot, tmp_path: Path) -> None:
    image = tmp_path / "local.png"
    image.write_bytes(b"")
    label = plain_label(f"<img src=file://{image}>")
    qtbot.addWidget(label)
    label.setText(BIG_RED)  # a later setText stays plain
    assert label.textFormat() == Qt.TextFormat.PlainText and label.text() == BIG_RED
    box = QMessageBox()
    qtbot.addWidget(box)
    set_plain(box, f"Batalkan {NAME}?")
    assert box.textFormat() == Qt.TextFormat.PlainText
    other = QLabel()
    qtbot.addWidget(other)
    set_plain(other, LOCAL_FILE)
    assert rich_labels(other) == []
