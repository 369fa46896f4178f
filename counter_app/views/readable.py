"""Dialogs readable at arm's length: a supervisor glances at them standing beside the desk.

Qt's defaults (about 11 px text in a 200-pixel box) are for a mouse user leaning in; these
dialogs get at least ``MIN_TEXT_PX`` text and ``MIN_DIALOG_WIDTH`` pixels of width.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QGridLayout, QMessageBox, QSizePolicy, QSpacerItem

MIN_TEXT_PX = 16
MIN_DIALOG_WIDTH = 420


def make_readable(dialog: QDialog) -> QDialog:
    """Enlarge ``dialog``'s text and width in place (children inherit the font)."""
    font = dialog.font()
    if font.pixelSize() < MIN_TEXT_PX:
        font.setPixelSize(MIN_TEXT_PX)
    dialog.setFont(font)
    dialog.setMinimumWidth(MIN_DIALOG_WIDTH)
    layout = dialog.layout()
    if isinstance(dialog, QMessageBox) and isinstance(layout, QGridLayout):
        # A message box sizes itself from its contents, ignoring the minimum width: a spacer
        # row as wide as the minimum makes it that wide.
        spacer = QSpacerItem(
            MIN_DIALOG_WIDTH, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum
        )
        layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())
    return dialog
