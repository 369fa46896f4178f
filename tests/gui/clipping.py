"""Finding text that does not fit its widget: a label or button whose words are cut off.

For each visible ``QLabel`` the text is measured with the label's font
(``QFontMetrics.boundingRect`` at the label's width with its wrap flags when word wrap is on)
and compared with the label's ``contentsRect`` (inside its margins, frame and style-sheet
padding). For a ``QPushButton`` with its own text, the text's lines are compared with the
button's contents rectangle as its style draws it (inside border and padding). Rich text and
pictures are not measured; an empty or hidden widget is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt
from PySide6.QtWidgets import QLabel, QPushButton, QStyle, QStyleOptionButton, QWidget

SLACK_PX = 1  # rounding between metrics and layout


@dataclass(frozen=True)
class Clipped:
    widget: str
    text: str
    needs: tuple[int, int]
    has: tuple[int, int]

    def __str__(self) -> str:
        return (
            f"{self.widget}: {self.text!r} needs {self.needs[0]}×{self.needs[1]} px, "
            f"has {self.has[0]}×{self.has[1]}"
        )


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '?'}"


def label_clip(label: QLabel) -> Clipped | None:
    text = label.text()
    if not text or label.textFormat() == Qt.TextFormat.RichText or GuiQt.mightBeRichText(text):
        return None
    room = label.contentsRect()
    margin = int(label.property("margin"))
    room.adjust(margin, margin, -margin, -margin)
    metrics = QFontMetrics(label.font())
    flags = int(label.alignment().value)
    if label.wordWrap():
        flags |= int(Qt.TextFlag.TextWordWrap.value)
        needs = metrics.boundingRect(QRect(0, 0, room.width(), 100_000), flags, text)
    else:
        needs = metrics.boundingRect(QRect(0, 0, 100_000, 100_000), flags, text)
    return _compare(label, text, needs.width(), needs.height(), room)


def button_clip(button: QPushButton) -> Clipped | None:
    text = button.text()
    if not text:
        return None
    option = QStyleOptionButton()
    button.initStyleOption(option)
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    metrics = QFontMetrics(button.font())
    needs = metrics.boundingRect(QRect(0, 0, 100_000, 100_000), 0, text)
    return _compare(button, text, needs.width(), needs.height(), room)


def _compare(widget: QWidget, text: str, width: int, height: int, room: QRect) -> Clipped | None:
    if width <= room.width() + SLACK_PX and height <= room.height() + SLACK_PX:
        return None
    return Clipped(_name(widget), text, (width, height), (room.width(), room.height()))


def clipped_texts(root: QWidget) -> list[Clipped]:
    """Every visible label and button under ``root`` (and ``root`` itself) whose text is cut."""
    found: list[Clipped] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel):
            clip = label_clip(widget)
        elif isinstance(widget, QPushButton):
            clip = button_clip(widget)
        else:
            continue
        if clip is not None:
            found.append(clip)
    return found


def assert_nothing_clipped(root: QWidget, where: str = "") -> None:
    clips = clipped_texts(root)
    assert not clips, f"clipped text {where}:\n" + "\n".join(f"  {c}" for c in clips)
