"""Labels that show text as typed, never as HTML.

A QLabel guesses: text that looks like markup (``Qt.mightBeRichText``) is rendered as rich
text. Names, break reasons, notes and the running text are typed by people, so an officer's
break reason could show as 60-pixel red HTML on the supervisor board, and running text with
``<img src="file:///…">`` would make the TV read a local file. Every label in the windows is
made here with ``Qt.TextFormat.PlainText``; ``set_plain`` also makes a label or message box
made elsewhere plain before it takes the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows ``text`` (and every later ``setText``) literally."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def set_plain(widget: QLabel | QMessageBox, text: str) -> None:
    """Show ``text`` on ``widget`` literally (plain text), whatever it was before."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
