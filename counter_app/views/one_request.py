"""One state-changing request at a time, retried with the same idempotency key until it lands.

The counter window and the supervisor board change the queue the same way: while a request is
in flight every other one is refused (a double click or a held key does one thing, never two);
each new request gets a new idempotency key; if the network drops or the server restarts, the
very same request is sent again shortly with the same key, so the server applies it once
however many attempts it takes. A refusal by the server ends it and is handed back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.client.api import new_idempotency_key
from counter_app.client.errors import ConnectionLost, ServerUnavailable
from counter_app.views.board_feed import RETRY_MS
from counter_app.views.tasks import TaskRunner


@dataclass
class Pending:
    name: str
    work: Callable[[str], Any]  # gets the idempotency key
    key: str
    attempts: int = 0


class OneRequest(QObject):
    busy_changed = Signal(bool)
    done = Signal(str, object)  # name, the server's answer
    refused = Signal(str, object)  # name, the exception (the server said no, or a bug)
    reached = Signal(bool)  # whether the last attempt reached the server

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.pending: Pending | None = None

    @property
    def busy(self) -> bool:
        return self.pending is not None

    def start(self, name: str, work: Callable[[str], Any]) -> bool:
        """Send it, unless another request is in flight (then ``False``, nothing sent)."""
        if self.pending is not None:
            return False
        self.pending = Pending(name, work, new_idempotency_key())
        self.busy_changed.emit(True)
        self._attempt()
        return True

    def _attempt(self) -> None:
        pending = self.pending
        if pending is None:
            return
        pending.attempts += 1
        self.runner.run(lambda: pending.work(pending.key), self._succeeded, self._failed)

    def _succeeded(self, result: Any) -> None:
        pending = self.pending
        self.pending = None
        self.reached.emit(True)
        if pending is not None:
            self.done.emit(pending.name, result)
        self.busy_changed.emit(False)

    def _failed(self, exc: Exception) -> None:
        pending = self.pending
        if pending is None:
            return
        if isinstance(exc, ConnectionLost | ServerUnavailable):
            # The network or a restarting server, not the request: the same one again soon.
            self.reached.emit(False)
            QTimer.singleShot(RETRY_MS, self._attempt)
            return
        self.pending = None
        self.refused.emit(pending.name, exc)
        self.busy_changed.emit(False)
