"""Ctrl+C and SIGTERM end a windowed app the polite way.

The windows are asked to close, as if the officer had clicked their close button (so an open
counter is closed on the server); whatever is still running after ``grace_ms`` is ended.
Python runs its signal handlers only between bytecodes, and Qt's event loop is C++, so the
signal is also written to a socket that Qt watches: that wakes the loop at once, no polling.
"""

from __future__ import annotations

import contextlib
import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier, Signal
from PySide6.QtWidgets import QApplication

from counter_app.views.timers import later

GRACE_MS = 6000


class SignalQuit(QObject):
    """Installed once per application; ``requested`` tells loops not to start again."""

    quit_requested = Signal()

    def __init__(self, app: QApplication, grace_ms: int = GRACE_MS) -> None:
        super().__init__(app)
        self.app = app
        self.grace_ms = grace_ms
        self.requested = False
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self._on_signal)

    def _drain(self) -> None:
        # The Python handler has already run by the time this slot does; just empty the pipe.
        with contextlib.suppress(OSError):
            while self._reader.recv(64):
                pass

    def _on_signal(self, _number: int, _frame: object) -> None:
        if self.requested:
            self.app.exit(1)  # asked twice: stop waiting for the windows
            return
        self.requested = True
        self.quit_requested.emit()
        self.app.closeAllWindows()
        later(self, self.grace_ms, lambda: self.app.exit(0))


def quit_on_signals(app: QApplication) -> SignalQuit:
    """Install the handlers (once) and return them."""
    found = app.findChild(SignalQuit)
    return found if isinstance(found, SignalQuit) else SignalQuit(app)
