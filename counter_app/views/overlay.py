"""A banner drawn over the edge of a widget: showing or hiding it moves nothing underneath.

A banner in a layout pushes everything below it down while it is shown, so a touch or a click
aimed a moment earlier lands on the wrong row or key. This one floats over the top (or the
bottom) of its ``anchor`` instead, as wide as the anchor, as tall as its wrapped text needs.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget


class OverlayBanner(QLabel):
    def __init__(
        self,
        anchor: QWidget,
        text: str = "",
        *,
        edge: Literal["top", "bottom"] = "top",
        inset: int = 0,
    ) -> None:
        super().__init__(text, anchor)
        self.anchor = anchor
        self.edge = edge
        self.inset = inset
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setVisible(False)
        anchor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.anchor and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.place()
        return False

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.place()

    def setStyleSheet(self, style: str) -> None:  # noqa: N802 (Qt's name)
        super().setStyleSheet(style)
        self.place()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt's name)
        if visible:
            self.place()
        super().setVisible(visible)
        if visible:
            self.raise_()

    def place(self) -> None:
        """Span the anchor's width at its edge, as tall as the wrapped text needs."""
        width = max(1, self.anchor.width() - 2 * self.inset)
        self.ensurePolished()
        height = max(self.heightForWidth(width), self.minimumSizeHint().height())
        top = self.inset if self.edge == "top" else self.anchor.height() - height - self.inset
        self.setGeometry(self.inset, max(0, top), width, height)
