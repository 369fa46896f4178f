"""The TV is readable from the back of the hall: contrast (WCAG) and letter size.

Contrast is computed from the palette the widgets use (views/display/palette.py), and every
stylesheet on the TV is checked to use only palette colours. Letter size: every text label of
the TV, filled from a real server, has a cap height of at least ``MIN_CAP_SHARE`` of the
window's height (25 mm on a 43-inch TV, see views/display/scaling.py), at 1920×1080 and
1366×768.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from counter_app.views.display import palette
from counter_app.views.display.run import OpenDisplay, open_display
from counter_app.views.display.scaling import MIN_CAP_SHARE
from counter_app.views.display.settings import DisplaySettings
from tests.conftest import Running
from tests.gui.waits import WAIT_MS
from tests.support.queue_ops import act, call_next, issue, set_state

COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:white|black|red|yellow|orange|gr[ae]y)\b")


@pytest.mark.parametrize("pair", palette.TEXT_PAIRS, ids=lambda p: p.what)
def test_every_text_on_the_tv_has_enough_contrast(pair: palette.TextPair) -> None:
    assert palette.contrast(pair.text, pair.background) >= pair.minimum


def test_the_contrast_formula_matches_wcag_examples() -> None:
    assert palette.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert palette.contrast("#ffffff", "#f9a825") == pytest.approx(1.97, abs=0.01)  # the old one
    assert palette.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.fixture
def busy_tv(
    qtbot: QtBot, running_sqlite: Running, display_settings: DisplaySettings
) -> Iterator[OpenDisplay]:
    """The TV with a call highlighted, a no-show, a counter on break and a running text."""
    office = running_sqlite.office
    for prefix in ("A", "A", "A", "B", "C"):
        issue(running_sqlite.kiosk, office.services[prefix])
    officer = running_sqlite.login("petugas1")
    set_state(officer, office.counters[1], "open")
    first = call_next(officer, office.counters[1])
    assert first is not None
    act(officer, first["id"], "skip")
    colleague = running_sqlite.login("petugas2")
    set_state(colleague, office.counters[2], "open")
    set_state(colleague, office.counters[2], "break")
    supervisor = running_sqlite.login("supervisor")
    supervisor.put(
        f"/api/v1/branches/{office.branch_id}/running-text", json={"text": "Selamat datang"}
    )
    shown = open_display(
        running_sqlite.server.url, office.display_token, display_settings, windowed=True
    )
    qtbot.waitUntil(lambda: shown.station.feed is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown.window.recent.numbers() != [], timeout=WAIT_MS)
    second = call_next(officer, office.counters[1])
    assert second is not None
    qtbot.waitUntil(lambda: shown.window.call.highlighted, timeout=WAIT_MS)
    yield shown
    shown.close()


def stylesheets(widget: QWidget) -> list[tuple[str, str]]:
    return [(w.objectName(), w.styleSheet()) for w in [widget, *widget.findChildren(QWidget)]]


def test_the_tv_uses_only_palette_colours(busy_tv: OpenDisplay) -> None:
    used = {
        (name, colour.lower())
        for name, sheet in stylesheets(busy_tv.window)
        for colour in COLOUR.findall(sheet)
    }
    assert used, "the TV's stylesheets name their colours"
    assert {(n, c) for n, c in used if c not in palette.COLOURS} == set()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_every_text_is_tall_enough_to_read_at_five_metres(
    busy_tv: OpenDisplay, qtbot: QtBot, width: int, height: int
) -> None:
    window = busy_tv.window
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().height() == height, timeout=WAIT_MS)
    window.fit_to(window.size())
    minimum = MIN_CAP_SHARE * height
    texts: list[tuple[str, float]] = [
        (label.objectName() or label.text(), QFontMetricsF(label.font()).capHeight())
        for label in window.findChildren(QLabel)
        if label.text() and label.pixmap().isNull()
    ]
    texts.append(("running_text", QFontMetricsF(window.running.font()).capHeight()))
    assert len(texts) > 20
    small = [(name, round(cap, 1)) for name, cap in texts if cap < minimum]
    assert small == [], f"cap height below {minimum:.1f} px"
