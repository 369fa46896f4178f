"""The survey screen: idle "thank you", one question at a time with four big answers, thanks.

Drawing only; the station decides what is shown. The questions and answers are the
regulation's own Indonesian words (``core.ikm``), whatever the window's language; the rest of
the screen is translated like every window.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.ikm import ELEMENTS, Element
from counter_app.views.kiosk.widgets import SECONDARY_STYLE, font, touch_button
from counter_app.views.overlay import OverlayBanner
from counter_app.views.plain import plain_label
from counter_app.views.survey.answers import AnswerButton

BANNER_STYLE = "background:#b71c1c;color:white;padding:8px;font-weight:bold;"


def _label(name: str, points: int, *, bold: bool = True) -> QLabel:
    label = plain_label("")
    label.setObjectName(name)
    label.setFont(font(points, bold=bold))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class SurveyWindow(QWidget):
    answered = Signal(int)  # 1..4 for the question shown
    back_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("survey_window")
        self.setWindowTitle(self.tr("Satisfaction survey — counter_app"))
        self.counter = _label("counter_name", 14, bold=False)
        self.pages = QStackedWidget()
        self.idle_page = self._idle_page()
        self.question_page = self._question_page()
        self.message_page = self._message_page()
        for page in (self.idle_page, self.question_page, self.message_page):
            self.pages.addWidget(page)
        root = QVBoxLayout(self)
        root.addWidget(self.pages, 1)
        root.addWidget(self.counter)
        # Over the top of the page, not in the layout: it appearing moves no answer.
        self.offline = OverlayBanner(self.pages, self.tr("Reconnecting to the server…"))
        self.offline.setObjectName("offline_banner")
        self.offline.setStyleSheet(BANNER_STYLE)
        self.resize(800, 600)
        self.show_idle()

    # --- building ---

    def _idle_page(self) -> QWidget:
        page = QWidget()
        self.idle_title = _label("idle_title", 40)
        self.idle_title.setText(self.tr("Thank you"))
        self.idle_text = _label("idle_text", 16, bold=False)
        self.idle_text.setText(
            self.tr("After your service, please tell us here how satisfied you are.")
        )
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.idle_title)
        layout.addWidget(self.idle_text)
        layout.addStretch(1)
        return page

    def _question_page(self) -> QWidget:
        page = QWidget()
        self.progress = _label("progress", 12, bold=False)
        self.element = _label("element_name", 15)
        self.question = _label("question", 18)
        # The 1–4 scale in a row, as on SKM forms: a face and a colour for each answer.
        self.answers: list[AnswerButton] = []
        scale = QHBoxLayout()
        scale.setSpacing(8)
        for value in (1, 2, 3, 4):
            button = AnswerButton(value, partial(self.answered.emit, value))
            self.answers.append(button)
            scale.addWidget(button, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.progress)
        layout.addWidget(self.element)
        layout.addWidget(self.question)
        layout.addLayout(scale, 1)
        self.back = touch_button(
            self.tr("Back"), "back", self.back_requested.emit, points=14, primary=False
        )
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch(3)
        layout.addLayout(row)
        return page

    def _message_page(self) -> QWidget:
        page = QWidget()
        self.message_title = _label("message_title", 36)
        self.message_text = _label("message_text", 16, bold=False)
        self.retry = touch_button(self.tr("Send again"), "retry", self.retry_requested.emit)
        self.retry.setStyleSheet(SECONDARY_STYLE)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.message_title)
        layout.addWidget(self.message_text)
        layout.addWidget(self.retry)
        layout.addStretch(1)
        return page

    # --- what the station shows ---

    def set_counter_name(self, name: str) -> None:
        self.counter.setText(name)

    def set_online(self, online: bool) -> None:
        if online:
            self.offline.setText(self.tr("Reconnecting to the server…"))
        self.offline.setVisible(not online)

    def show_problem(self, message: str) -> None:
        """A set-up fault for the technician (a refused token, an unknown counter)."""
        self.offline.setText(message)
        self.offline.setVisible(True)

    def show_idle(self) -> None:
        self.pages.setCurrentWidget(self.idle_page)

    def show_question(self, index: int, number: str, chosen: int | None) -> None:
        """Question ``index`` (0..8) for ticket ``number``; ``chosen`` is marked if given."""
        element: Element = ELEMENTS[index]
        self.progress.setText(
            self.tr("Satisfaction survey · ticket {number} · question {n} of {total}").format(
                number=number, n=index + 1, total=len(ELEMENTS)
            )
        )
        self.element.setText(element.name)
        self.question.setText(element.question)
        for value, (button, label) in enumerate(zip(self.answers, element.labels, strict=True), 1):
            button.set_text(label)
            button.set_chosen(value == chosen)
        self.back.setVisible(index > 0)
        self.pages.setCurrentWidget(self.question_page)

    def show_sending(self) -> None:
        self._message(self.tr("Sending…"), "", retry=False)

    def show_thanks(self) -> None:
        self._message(
            self.tr("Thank you!"),
            self.tr("Your answers help us improve our service."),
            retry=False,
        )

    def show_failure(self, message: str) -> None:
        self._message(self.tr("Not sent"), message, retry=True)

    def _message(self, title: str, text: str, *, retry: bool) -> None:
        self.message_title.setText(title)
        self.message_text.setText(text)
        self.retry.setVisible(retry)
        self.pages.setCurrentWidget(self.message_page)

    # --- for tests and the station ---

    def showing(self) -> str:
        """``idle``, ``question``, or the message page's title."""
        current = self.pages.currentWidget()
        if current is self.idle_page:
            return "idle"
        if current is self.question_page:
            return "question"
        return self.message_title.text()
