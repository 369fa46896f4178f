"""The event stream as Qt signals: from the client's listener thread to the Qt thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from counter_app.client.events import ConnectionState, EventListener
from counter_app.schemas.tickets import EventOut


class LiveEvents(QObject):
    event_received = Signal(object)  # EventOut
    connection_changed = Signal(str)  # ConnectionState value

    def __init__(
        self, base_url: str, token: str, branch_id: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._base_url = base_url
        self._token = token
        self._branch_id = branch_id
        self._listener: EventListener | None = None
        self._stopping = False

    def start(self, after_seq: int) -> None:
        """Stream events after ``after_seq`` (the snapshot's sequence)."""
        self.stop()
        self._stopping = False
        self._listener = EventListener(
            self._base_url,
            self._token,
            self._branch_id,
            on_event=self._forward_event,
            on_state=self._forward_state,
            last_event_id=after_seq,
        ).start()

    def stop(self) -> None:
        """End the stream; the listener's final "disconnected" is then ours, not news."""
        self._stopping = True
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _forward_event(self, event: EventOut) -> None:
        self.event_received.emit(event)

    def _forward_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.DISCONNECTED and self._stopping:
            return
        self.connection_changed.emit(state.value)
