"""The running text line at the bottom of the TV: a supervisor's message, scrolling."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

STEP_MS = 30
GAP = "     •     "


class RunningText(QWidget):
    """Scrolls right to left when the text is wider than the line, else stands centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("running_text")
        self._text = ""
        self._offset = 0.0
        self._speed = 2.0  # pixels per step; set by the window from its scale
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        text = " ".join(text.split())
        if text == self._text:
            return
        self._text = text
        self._offset = 0.0
        self.setVisible(bool(text))
        if text:
            self._timer.start(STEP_MS)
        else:
            self._timer.stop()
        self.update()

    def set_speed(self, pixels_per_step: float) -> None:
        self._speed = max(1.0, pixels_per_step)

    def _scrolls(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self._text) > self.width()

    def _step(self) -> None:
        if not self._scrolls():
            return
        self._offset += self._speed
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._text:
            return
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().windowText().color())
        metrics = self.fontMetrics()
        baseline = (self.height() + metrics.ascent() - metrics.descent()) // 2
        if not self._scrolls():
            centred = (self.width() - metrics.horizontalAdvance(self._text)) // 2
            painter.drawText(centred, baseline, self._text)
            return
        cycle = self._text + GAP
        period = metrics.horizontalAdvance(cycle)
        self._offset %= period
        # The text enters from the right and repeats after a gap, seamlessly.
        x = (self.width() - self._offset) % period - period
        while x < self.width():
            painter.drawText(round(x), baseline, cycle)
            x += period
