"""Touch widgets for the kiosk: buttons a finger can hit, a QR code, an on-screen keypad."""

from __future__ import annotations

import math
from collections.abc import Callable

import qrcode
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPaintEvent, QScreen
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from counter_app.core.booking import BOOKING_CODE_ALPHABET

MIN_TARGET_MM = 15.0  # the smallest touch target: a fingertip with a margin
FALLBACK_DPI = 96.0

BUTTON_STYLE = (
    "QPushButton{background:#0d47a1;color:white;border-radius:12px;padding:12px;}"
    "QPushButton:pressed{background:#1565c0;}"
    "QPushButton:disabled{background:#cfd8dc;color:#37474f;}"
)
SECONDARY_STYLE = (
    "QPushButton{background:#eceff1;color:#102027;border:2px solid #90a4ae;"
    "border-radius:12px;padding:12px;}"
    "QPushButton:pressed{background:#cfd8dc;}"
    "QPushButton:disabled{color:#90a4ae;}"
)


def screen_dpi(screen: QScreen | None) -> float:
    """The screen's physical dots per inch; 96 when it does not know (or reports nonsense)."""
    if screen is None:
        return FALLBACK_DPI
    dpi = screen.physicalDotsPerInch()
    return dpi if 50.0 <= dpi <= 1000.0 else FALLBACK_DPI


def min_target_px(screen: QScreen | None = None) -> int:
    """Pixels for a 15 mm touch target on ``screen`` (the primary screen by default)."""
    screen = screen or QGuiApplication.primaryScreen()
    return math.ceil(MIN_TARGET_MM / 25.4 * screen_dpi(screen))


def font(points: int, *, bold: bool = True) -> QFont:
    result = QFont()
    result.setPointSize(points)
    result.setBold(bold)
    return result


def touch_button(
    text: str,
    name: str,
    slot: Callable[[], None],
    *,
    points: int = 24,
    primary: bool = True,
    min_px: int | None = None,
) -> QPushButton:
    """A large button that never takes keyboard focus (a scanner's keys go to the window)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setFont(font(points))
    size = min_px or min_target_px()
    button.setMinimumSize(max(size, 2 * size), size)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setStyleSheet(BUTTON_STYLE if primary else SECONDARY_STYLE)
    button.clicked.connect(lambda _checked=False: slot())
    return button


class QrWidget(QWidget):
    """A QR code drawn square by square (crisp at any size); empty when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_qr")
        self.matrix: list[list[bool]] = []
        self.content = ""
        self.setMinimumSize(160, 160)

    def set_content(self, content: str) -> None:
        self.content = content
        if content:
            code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
            code.add_data(content)
            code.make(fit=True)
            self.matrix = [list(map(bool, row)) for row in code.get_matrix()]
        else:
            self.matrix = []
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(220, 220)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.matrix:
            return
        painter = QPainter(self)
        side = min(self.width(), self.height())
        cells = len(self.matrix)
        cell = side // cells
        left = (self.width() - cell * cells) // 2
        top = (self.height() - cell * cells) // 2
        painter.fillRect(left, top, cell * cells, cell * cells, QColor("white"))
        black = QColor("black")
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(left + x * cell, top + y * cell, cell, cell, black)
        painter.end()


class Keypad(QWidget):
    """Keys that type into something: digits, or a booking code's characters.

    The booking keypad offers exactly the booking-code alphabet (``core.booking``: no 0/O,
    1/I/L and the other look-alikes), so a key that could never be part of a code is never
    pressed. Below them a backspace key and one that empties the field, with words, not a
    "C" that reads as the letter C.
    """

    typed = Signal(str)
    erased = Signal()
    cleared = Signal()

    DIGITS = ("123", "456", "789", "0")
    CODE_COLUMNS = 5

    def __init__(self, *, letters: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(8)
        size = min_target_px()
        self.keys: dict[str, QPushButton] = {}
        rows = list(self.DIGITS) if not letters else code_rows(self.CODE_COLUMNS)
        for r, row in enumerate(rows):
            for c, char in enumerate(row):
                self._add(grid, char, r, c, size)
        columns = max(len(row) for row in rows)
        last = len(rows)
        self.erase_key = touch_button(
            self.tr("⌫ Delete"), "key_erase", self.erased.emit, points=18, min_px=size
        )
        self.clear_key = touch_button(
            self.tr("Clear all"), "key_clear", self.cleared.emit, points=18, min_px=size
        )
        for button in (self.erase_key, self.clear_key):
            button.setMinimumWidth(size)
            button.setStyleSheet(SECONDARY_STYLE)
        half = (columns + 1) // 2
        grid.addWidget(self.erase_key, last, 0, 1, half)
        grid.addWidget(self.clear_key, last, half, 1, columns - half)

    def _add(self, grid: QGridLayout, char: str, row: int, col: int, size: int) -> None:
        button = touch_button(char, f"key_{char}", lambda: self.typed.emit(char), points=20)
        button.setMinimumSize(size, size)
        self.keys[char] = button
        grid.addWidget(button, row, col)


def code_rows(columns: int) -> list[str]:
    """The booking-code alphabet in rows of ``columns`` keys, digits first."""
    alphabet = BOOKING_CODE_ALPHABET
    return [alphabet[i : i + columns] for i in range(0, len(alphabet), columns)]
