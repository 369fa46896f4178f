"""The waiting-room TV window: what citizens see. It only draws; the station feeds it.

Layout (designed at 1920×1080, scaled, see ``scaling``): header with logo, office name, date
and clock; the latest call large, highlighted for ``HIGHLIGHT_MS``; the open counters and what
each serves; the recent calls; how many wait per service; the optional media area; the running
text. No cursor: a TV has no mouse user, and a pointer left in the middle is ugly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from counter_app.client.board import BranchBoard, Change
from counter_app.views.display import palette
from counter_app.views.display.calls import current_call, recent_lines
from counter_app.views.display.media import MediaArea
from counter_app.views.display.panels import (
    CallPanel,
    CountersPanel,
    Header,
    RecentCalls,
    WaitingPanel,
)
from counter_app.views.display.running_text import RunningText
from counter_app.views.display.scaling import Scaler
from counter_app.views.simulation_band import show_board_mode, simulation_band

HIGHLIGHT_MS = 8000
WINDOW_STYLE = (
    f"QWidget#display_window {{ background:{palette.HALL}; }} QLabel {{ color:{palette.TEXT}; }}"
)
OFFLINE_STYLE = f"color:{palette.NOTICE};"
RUNNING_STYLE = f"color:{palette.RUNNING_TEXT};"


class DisplayWindow(QWidget):
    def __init__(
        self,
        *,
        logo: Path | None = None,
        media_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("display_window")
        self.setWindowTitle(self.tr("Queue display"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(WINDOW_STYLE)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.scaler = Scaler()
        self.header = Header(self.scaler, logo)
        self.call = CallPanel(self.scaler)
        self.counters = CountersPanel(self.scaler)
        self.recent = RecentCalls(self.scaler)
        self.waiting = WaitingPanel(self.scaler)
        self.media = MediaArea(media_folder) if media_folder else None
        self.running = RunningText()
        self.running.setObjectName("running_text")
        self.running.setStyleSheet(RUNNING_STYLE)
        self.scaler.register(self.running, 72, bold=True)
        self.offline = self.scaler.label(self.tr("Reconnecting to the server…"), "offline_note", 72)
        self.offline.setStyleSheet(OFFLINE_STYLE)
        self.offline.setVisible(False)
        self.highlight = QTimer(self)
        self.highlight.setSingleShot(True)
        self.highlight.timeout.connect(lambda: self.call.set_highlight(False))
        self._build()

    def _build(self) -> None:
        # The panels take the room the layout gives them (their stretch factors), never
        # what their text asks for, so the window fits any screen, fullscreen.
        for part in (self.call, self.counters, self.recent, self.waiting, self.media):
            if part is not None:
                part.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        left = QVBoxLayout()
        left.addWidget(self.call, 5)
        left.addWidget(self.counters, 3)
        right = QVBoxLayout()
        if self.media is not None:
            right.addWidget(self.media, 4)
        right.addWidget(self.recent, 4)  # title and three lines
        right.addWidget(self.waiting, 5)  # title and four services
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.running, 1)
        footer.addWidget(self.offline)
        self.simulation = simulation_band()
        # Read from across the hall like every other text of the TV (docs/ACCESSIBILITY.md).
        self.simulation.setStyleSheet(
            f"background:{palette.HIGHLIGHT}; color:{palette.TEXT_ON_HIGHLIGHT}; font-weight:bold;"
        )
        self.scaler.register(self.simulation, 72, bold=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.simulation)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        layout.addLayout(footer)

    # --- drawing from the board ---

    def show_board(self, board: BranchBoard, changes: set[Change], *, live: bool) -> None:
        """Repaint what changed. A live call is highlighted; a snapshot is never news."""
        everything = Change.RESYNC in changes
        if everything:
            self.header.show_office(board.branch.name)
            show_board_mode(self.simulation, board)
        calls = everything or Change.CALL in changes or Change.COUNTERS in changes
        if calls or Change.QUEUE in changes:
            # A transfer, a return, a break or a closing can end the call shown big.
            latest = current_call(board)
            self.call.show_call(latest)
            self.recent.show_calls(recent_lines(board, latest, len(self.recent.rows)))
            if latest is None:
                self.call.set_highlight(False)
            if live and Change.CALL in changes and latest is not None:
                self.call.set_highlight(True)
                self.highlight.start(HIGHLIGHT_MS)
        if calls:
            self.counters.show_counters(board.counters.values(), board.current)
            self.running.set_text(board.branch.running_text)
        if everything or Change.QUEUE in changes:
            counts = {service_id: board.waiting_count(service_id) for service_id in board.services}
            self.waiting.show_waiting(board.services.values(), counts)

    def set_online(self, online: bool) -> None:
        if online:
            self.offline.setText(self.tr("Reconnecting to the server…"))
        self.offline.setVisible(not online)

    def show_problem(self, message: str) -> None:
        """A set-up fault for the technician (e.g. a refused token), in the corner."""
        self.offline.setText(message)
        self.offline.setVisible(True)

    # --- size ---

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_to(event.size())

    def fit_to(self, size: QSize) -> None:
        """Scale every text for this window size (also before the first show)."""
        self.scaler.rescale(size.width(), size.height())
        self.header.rescale()
        self.running.set_speed(2.0 * self.scaler.scale)
        self.running.setFixedHeight(self.scaler.pixels(96))
