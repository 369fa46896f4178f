"""A branch's live board for a window: first the snapshot, then the event stream, kept whole.

Shared by the counter window, the TV display and the supervisor board, so each only draws.
Events that arrive while a snapshot is being fetched are kept and applied after it; a gap or a
set-up change fetches a fresh snapshot; a lost connection is retried without end and the board
is rebuilt from a snapshot when the server is back.

``changed`` carries what changed and whether it came *live* from the stream (``True``) or
from a snapshot (``False``): a display announces only live calls, so a reconnect repaints
without replaying stale announcements.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, Signal

from counter_app.client.board import BranchBoard, Change
from counter_app.schemas.tickets import EventOut, QueueSnapshot
from counter_app.views.live import LiveEvents
from counter_app.views.tasks import TaskRunner
from counter_app.views.timers import later

log = logging.getLogger(__name__)
RETRY_MS = 2000


class BoardFeed(QObject):
    changed = Signal(object, bool)  # set[Change], live
    online_changed = Signal(bool)

    def __init__(
        self,
        fetch_snapshot: Callable[[], QueueSnapshot],
        live: LiveEvents,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch_snapshot = fetch_snapshot
        self.live = live
        self.runner = runner
        self.board: BranchBoard | None = None
        self.online = True
        # Server clock minus ours, from the last snapshot: displays show the server's time.
        self.clock_offset = timedelta(0)
        self.last_event: EventOut | None = None
        self._resyncing = False
        self._buffer: list[EventOut] = []
        self._started = False
        live.event_received.connect(self._on_event)
        live.connection_changed.connect(self._on_connection)

    def server_now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def start(self) -> None:
        self._started = True
        self.resync(start_stream=True)

    def stop(self) -> None:
        self._started = False
        self.live.stop()

    def resync(self, *, start_stream: bool = False) -> None:
        """Rebuild the board from a fresh snapshot (events meanwhile are kept and replayed)."""
        if self._resyncing or not self._started:
            return  # one at a time; and a retry scheduled before stop() is void
        self._resyncing = True
        self._buffer.clear()

        def done(snapshot: QueueSnapshot) -> None:
            self._resyncing = False
            self.clock_offset = snapshot.at - datetime.now(UTC)
            self.board = BranchBoard.from_snapshot(snapshot)
            for event in self._buffer:
                self.board.apply(event)
            self._buffer.clear()
            if start_stream:
                self.live.start(snapshot.seq)
            self.set_online(True)  # the server answered
            self.changed.emit({Change.RESYNC}, False)

        def failed(exc: Exception) -> None:
            self._resyncing = False
            log.warning("snapshot failed: %s", exc)
            self.set_online(False)
            later(self, RETRY_MS, lambda: self.resync(start_stream=start_stream))

        self.runner.run(self._fetch_snapshot, done, failed)

    def _on_event(self, event: EventOut) -> None:
        if self._resyncing or self.board is None:
            self._buffer.append(event)
            return
        changes = self.board.apply(event)
        if Change.RESYNC in changes:
            self.resync()
            return
        if changes:
            self.last_event = event
            self.changed.emit(changes, True)

    def _on_connection(self, state: str) -> None:
        online = state == "connected"
        was_offline = not self.online
        self.set_online(online)
        if state == "disconnected" and self._started:
            # The listener gave up (e.g. the server's journal was replaced): start afresh.
            later(self, RETRY_MS, lambda: self.resync(start_stream=True))
        elif online and was_offline and self._started:
            self.resync()

    def set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)
