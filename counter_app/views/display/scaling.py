"""Sizes that follow the screen: designed for 1920×1080, scaled to any TV or video wall.

Each label registers its font size in pixels at 1920×1080; when the window is resized the
sizes are multiplied by min(width / 1920, height / 1080), so 1366×768 keeps the same layout
with smaller letters, and a 4K wall gets bigger ones.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

DESIGN_WIDTH = 1920
DESIGN_HEIGHT = 1080
MIN_PIXELS = 8


def scale_for(width: int, height: int) -> float:
    return min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT)


class Scaler:
    def __init__(self) -> None:
        self._fonts: list[tuple[QWidget, int, bool]] = []
        self.scale = 1.0

    def label(self, text: str, name: str, pixels: int, *, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        self.register(label, pixels, bold=bold)
        return label

    def register(self, widget: QWidget, pixels: int, *, bold: bool = False) -> None:
        self._fonts.append((widget, pixels, bold))
        self._apply(widget, pixels, bold)

    def rescale(self, width: int, height: int) -> None:
        self.scale = scale_for(width, height)
        for widget, pixels, bold in self._fonts:
            self._apply(widget, pixels, bold)

    def pixels(self, design_pixels: int) -> int:
        return max(MIN_PIXELS, round(design_pixels * self.scale))

    def _apply(self, widget: QWidget, pixels: int, bold: bool) -> None:
        font = QFont(widget.font())
        font.setPixelSize(self.pixels(pixels))
        font.setBold(bold)
        widget.setFont(font)
