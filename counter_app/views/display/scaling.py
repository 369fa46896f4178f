"""Sizes that follow the screen: designed for 1920×1080, scaled to any TV or video wall.

Each label registers its font size in pixels at 1920×1080; when the window is resized the
sizes are multiplied by min(width / 1920, height / 1080), so 1366×768 keeps the same layout
with smaller letters, and a 4K wall gets bigger ones.

Readable from the back of the hall: a citizen sits up to 5 m from the TV, where capital
letters need to be about 25 mm tall. The smallest TV in use is a 43-inch 16:9 one, whose
picture is 43 × 9 / √(16² + 9²) = 21.1 inches = 535 mm high; 25 mm is 4.7 % of that. So every
text on the TV has a cap height of at least ``MIN_CAP_SHARE`` of the window's height, whatever
the resolution (1080 lines: 51 px; 768 lines: 36 px). ``DESIGN_MIN_PIXELS`` is the smallest
font size, at 1920×1080, that gives that cap height with the TV's sans-serif fonts (their
capitals are about 0.72 of the pixel size); ``Scaler`` never registers a smaller one.
``tests/gui/test_display_readability.py`` measures every label at 1920×1080 and 1366×768.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.views.plain import plain_label

DESIGN_WIDTH = 1920
DESIGN_HEIGHT = 1080
MIN_PIXELS = 8
VIEWING_CAP_MM = 25.0  # capital letters readable at 5 m
SMALLEST_TV_HEIGHT_MM = 535.0  # a 43-inch 16:9 picture
MIN_CAP_SHARE = VIEWING_CAP_MM / SMALLEST_TV_HEIGHT_MM  # 0.0467 of the screen height
CAP_PER_PIXEL = 0.70  # cap height / font pixel size, with a little room below the fonts' 0.72
DESIGN_MIN_PIXELS = round(MIN_CAP_SHARE * DESIGN_HEIGHT / CAP_PER_PIXEL)  # 72


def scale_for(width: int, height: int) -> float:
    return min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT)


class Scaler:
    def __init__(self) -> None:
        self._fonts: list[tuple[QWidget, int, bool]] = []
        self.scale = 1.0

    def label(self, text: str, name: str, pixels: int, *, bold: bool = False) -> QLabel:
        label = plain_label(text)
        label.setObjectName(name)
        self.register(label, pixels, bold=bold)
        return label

    def register(self, widget: QWidget, pixels: int, *, bold: bool = False) -> None:
        pixels = max(pixels, DESIGN_MIN_PIXELS)  # the readability rule (module docstring)
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
