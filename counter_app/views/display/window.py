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
from counter_app.views.simulation_band import show_simulation, simulation_band

HIGHLIGHT_MS = 8000
WINDOW_STYLE = "QWidget#display_window { background:#06162c; } QLabel { color:white; }"
OFFLINE_STYLE = "color:#ffb4a9;"


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
        self.running.setStyleSheet("color:#ffe082;")
        self.scaler.register(self.running, 40, bold=True)
        self.offline = self.scaler.label(self.tr("Reconnecting to the server…"), "offline_note", 22)
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
        right.addWidget(self.recent, 4)
        right.addWidget(self.waiting, 3)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        footer = QHBoxLayout()
        footer.addWidget(self.running, 1)
        footer.addWidget(self.offline)
        self.simulation = simulation_band()
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
            show_simulation(self.simulation, board.simulation)
        if everything or Change.CALL in changes:
            latest = board.last_call or next(iter(board.recent_calls), None)
            self.call.show_call(latest)
            self.recent.show_calls(list(board.recent_calls)[1:])
            if live and Change.CALL in changes:
                self.call.set_highlight(True)
                self.highlight.start(HIGHLIGHT_MS)
        if everything or Change.COUNTERS in changes or Change.CALL in changes:
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
        self.running.setFixedHeight(self.scaler.pixels(64))
