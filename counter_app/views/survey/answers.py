"""The four answers of the 1–4 scale as SKM forms show them: a face and a colour for each,
from a red frown (1) to a green smile (4), with the regulation's words under the face.

The faces are drawn, not emoji: an office PC's fonts may have no emoji (or only black and
white ones), and a drawn face looks the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout

from counter_app.views.kiosk.widgets import font, min_target_px
from counter_app.views.plain import plain_label

# value → (button colour, pressed colour, text colour)
COLOURS = {
    1: ("#c62828", "#8e0000", "white"),
    2: ("#ef6c00", "#b53d00", "white"),
    3: ("#7cb342", "#4b830d", "black"),
    4: ("#2e7d32", "#005005", "white"),
}
MOUTH = {1: -0.22, 2: -0.09, 3: 0.09, 4: 0.22}  # the mouth's curve: frown < 0 < smile
CHOSEN_BORDER = "border:6px solid #ffb300;"
FACE_PX = 56


def answer_style(value: int, *, chosen: bool = False) -> str:
    background, pressed, text = COLOURS[value]
    border = CHOSEN_BORDER if chosen else "border:2px solid rgba(0,0,0,60);"
    return (
        f"QPushButton{{background:{background};color:{text};border-radius:12px;{border}}}"
        f"QPushButton:pressed{{background:{pressed};}}"
        f"QLabel{{background:transparent;color:{text};border:none;}}"
    )


def face(value: int, size: int = FACE_PX) -> QPixmap:
    """A round yellow face whose mouth goes from a frown (1) to a broad smile (4)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = max(2.0, size / 18)
    painter.setPen(QPen(QColor("#3e2723"), line))
    painter.setBrush(QColor("#ffd54f"))
    inset = line
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    painter.setBrush(QColor("#3e2723"))
    eye = size * 0.07
    for x in (0.36, 0.64):
        painter.drawEllipse(QPointF(size * x, size * 0.4), eye, eye)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    mouth = QPainterPath()
    y = size * 0.66
    mouth.moveTo(size * 0.3, y)
    mouth.quadTo(size * 0.5, y + size * MOUTH[value] * 1.4, size * 0.7, y)
    painter.drawPath(mouth)
    painter.end()
    return pixmap


class AnswerButton(QPushButton):
    """One answer: its face over its words (wrapped), in its colour."""

    def __init__(self, value: int, slot: Callable[[], None]) -> None:
        super().__init__()
        self.value = value
        self.setObjectName(f"answer_{value}")
        size = min_target_px()
        self.setMinimumSize(size, 2 * size)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.face = plain_label()
        self.face.setObjectName(f"answer_{value}_face")
        self.face.setPixmap(face(value))
        self.face.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = plain_label("")
        self.caption.setObjectName(f"answer_{value}_text")
        self.caption.setFont(font(15))
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        for label in (self.face, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 8)
        layout.addWidget(self.face)
        layout.addWidget(self.caption, 1)
        self.set_chosen(False)
        self.clicked.connect(lambda _checked=False: slot())

    def set_text(self, text: str) -> None:
        self.caption.setText(text)
        self.setAccessibleName(f"{self.value}: {text}")

    def set_chosen(self, chosen: bool) -> None:
        self.setStyleSheet(answer_style(self.value, chosen=chosen))

    @property
    def chosen(self) -> bool:
        return CHOSEN_BORDER in self.styleSheet()
