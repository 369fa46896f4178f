"""The survey screen at a tablet's sizes: every question whole, and the 1–4 scale shown with
a face and a colour for each answer, as SKM forms do."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from counter_app.core.ikm import ELEMENTS
from counter_app.views.survey.answers import COLOURS
from counter_app.views.survey.window import SurveyWindow
from tests.gui.clipping import assert_nothing_clipped
from tests.gui.conftest import UseLanguage
from tests.gui.waits import WAIT_MS

SIZES = [(640, 520), (800, 600)]


@pytest.mark.parametrize("size", SIZES)
def test_every_question_fits(
    qtbot: QtBot, use_language: UseLanguage, size: tuple[int, int]
) -> None:
    use_language("id")
    window = SurveyWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=WAIT_MS)
    window.set_counter_name("Loket 1")
    for index in range(len(ELEMENTS)):
        window.show_question(index, "A-001", chosen=2 if index else None)
        qtbot.wait(5)
        assert_nothing_clipped(window, f"question {index + 1} at {size}")
    window.set_online(False)
    qtbot.wait(5)
    assert_nothing_clipped(window, f"offline at {size}")
    for show in (window.show_idle, window.show_thanks, window.show_sending):
        show()
        qtbot.wait(5)
        assert_nothing_clipped(window, f"{window.showing()} at {size}")
    window.show_failure("Tidak terhubung ke server. Silakan coba lagi sebentar lagi.")
    assert_nothing_clipped(window, f"failure at {size}")


def test_the_scale_has_faces_and_colours_from_red_to_green(qtbot: QtBot) -> None:
    window = SurveyWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_question(8, "A-001", chosen=None)
    assert [b.caption.text() for b in window.answers] == list(ELEMENTS[8].labels)
    faces = [b.face.pixmap().toImage() for b in window.answers]
    assert all(not image.isNull() for image in faces)
    assert len({bytes(image.constBits()) for image in faces}) == 4  # four different faces
    hues = [QColor(COLOURS[v][0]) for v in (1, 2, 3, 4)]
    assert hues[0].red() > hues[0].green() and hues[3].green() > hues[3].red()
    assert len({b.styleSheet() for b in window.answers}) == 4  # four colours


def test_going_offline_moves_no_answer(qtbot: QtBot) -> None:
    window = SurveyWindow()
    qtbot.addWidget(window)
    window.resize(640, 520)
    window.show()
    window.show_question(0, "A-001", chosen=None)
    qtbot.wait(5)
    before = [b.geometry() for b in window.answers]
    window.set_online(False)
    qtbot.wait(5)
    assert window.offline.isVisible()
    assert [b.geometry() for b in window.answers] == before
