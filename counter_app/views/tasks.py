"""Run blocking work (HTTP calls) off the Qt thread and get the result back on it.

The Anki/Dangerzone pattern: the Qt thread never waits on the network. ``TaskRunner.run``
queues a callable on a thread pool; its result or exception comes back through a queued
signal, so the callbacks run on the Qt thread and may touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the caller's on_error, on the Qt thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._live: set[_Signals] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        signals = _Signals()
        self._live.add(signals)  # keep the QObject alive until the job reports

        @Slot(object)
        def finished(result: Any) -> None:
            self._live.discard(signals)
            on_done(result)

        @Slot(object)
        def failed(exc: Exception) -> None:
            self._live.discard(signals)
            on_error(exc)

        signals.done.connect(finished)
        signals.failed.connect(failed)
        self.pool.start(_Job(work, signals))

    def wait(self, msecs: int = 10_000) -> bool:
        return self.pool.waitForDone(msecs)

    def busy(self) -> bool:
        return bool(self._live)
