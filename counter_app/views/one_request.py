"""One state-changing request at a time, retried with the same idempotency key until it lands.

The counter window, the supervisor board and the kiosk change the queue the same way: while a
request is in flight every other one is refused (a double click or a held key does one thing,
never two); each request carries an idempotency key (a new one unless the caller brings its
own, as the kiosk does for a citizen's choice); if the network drops or the server restarts,
the very same request is sent again shortly with the same key, so the server applies it once
however many attempts it takes. A refusal by the server ends it and is handed back; so does
the network, once ``retries`` is used up (if a limit was set).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter_app.client.api import new_idempotency_key
from counter_app.client.errors import ConnectionLost, ServerUnavailable
from counter_app.views.board_feed import RETRY_MS
from counter_app.views.tasks import TaskRunner
from counter_app.views.timers import later


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

    def __init__(
        self,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        retries: int | None = None,
        retry_ms: int = RETRY_MS,
    ) -> None:
        """``retries``: how many more times a request is sent when the network fails before
        the failure is handed back (``None``: until it lands)."""
        super().__init__(parent)
        self.runner = runner
        self.retries = retries
        self.retry_ms = retry_ms
        self.pending: Pending | None = None

    @property
    def busy(self) -> bool:
        return self.pending is not None

    def start(self, name: str, work: Callable[[str], Any], key: str | None = None) -> bool:
        """Send it, unless another request is in flight (then ``False``, nothing sent).

        ``key``: the idempotency key to send (a new one if not given)."""
        if self.pending is not None:
            return False
        self.pending = Pending(name, work, key or new_idempotency_key())
        self.busy_changed.emit(True)
        self._attempt()
        return True

    def _attempt(self) -> None:
        pending = self.pending
        if pending is None:
            return
        pending.attempts += 1
        self.runner.run(lambda: pending.work(pending.key), self._succeeded, self._failed)

    def _succeeded(self, result: object) -> None:
        pending = self.pending
        self.pending = None
        self.reached.emit(True)
        # Free first, then the answer: its handler may show a notice (or start the next
        # request), and "no longer busy" must not undo that.
        self.busy_changed.emit(False)
        if pending is not None:
            self.done.emit(pending.name, result)

    def _failed(self, exc: Exception) -> None:
        pending = self.pending
        if pending is None:
            return
        if isinstance(exc, ConnectionLost | ServerUnavailable):
            # The network or a restarting server, not the request: the same one again soon.
            self.reached.emit(False)
            if self.retries is None or pending.attempts <= self.retries:
                later(self, self.retry_ms, self._attempt)
                return
        self.pending = None
        self.busy_changed.emit(False)
        self.refused.emit(pending.name, exc)
