"""Run blocking work (HTTP calls) off the Qt thread and get the result back on it.

The Anki/Dangerzone pattern: the Qt thread never waits on the network. ``TaskRunner.run``
queues a callable on a thread pool; its result or exception comes back through a queued
signal, so the callbacks run on the Qt thread and may touch widgets.

``run`` is generic: ``on_done`` gets exactly what ``work`` returns, so mypy checks that the
two fit. A caller that gives no ``on_error`` gets the failure logged with its traceback,
never silently dropped.

One signal object per runner carries every job's answer with the job's number; the callbacks
wait in a dict until their answer comes. (A signal object per job, connected to closures over
itself, made a cycle the garbage collector cannot see through Qt: every job leaked, with its
result, and a counter window grew by megabytes an hour.)
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")

# Kept per job until its answer comes; the result's type was checked when the job was queued.
Callbacks = tuple[Callable[[Any], None], Callable[[Exception], None]]


def log_failure(exc: Exception) -> None:
    """The default ``on_error``: nobody asked to hear about it, so it goes to the log."""
    log.error("background task failed: %s", exc, exc_info=exc)


class _Signals(QObject):
    done = Signal(object, object)  # job number, result
    failed = Signal(object, object)  # job number, exception


class _Job(QRunnable):
    def __init__(self, number: int, work: Callable[[], object], signals: _Signals) -> None:
        super().__init__()
        self.number = number
        self.work = work
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the caller's on_error, on the Qt thread
            self._report(self.signals.failed, exc)
        else:
            self._report(self.signals.done, result)

    def _report(self, signal: SignalInstance, value: object) -> None:
        # RuntimeError: the runner is gone (its window closed), so nobody waits for this.
        with contextlib.suppress(RuntimeError):
            signal.emit(self.number, value)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        self._signals.failed.connect(self._failed)
        self._waiting: dict[int, Callbacks] = {}
        self._numbers = itertools.count()

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``work`` on the pool; ``on_done(result)`` or ``on_error(exc)`` on the Qt thread.

        Without ``on_error`` a failure is logged with its traceback (``log_failure``).
        """
        number = next(self._numbers)
        self._waiting[number] = (on_done, on_error or log_failure)
        self.pool.start(_Job(number, work, self._signals))

    @Slot(object, object)
    def _done(self, number: int, result: object) -> None:
        callbacks = self._waiting.pop(number, None)
        if callbacks is not None:
            callbacks[0](result)

    @Slot(object, object)
    def _failed(self, number: int, exc: Exception) -> None:
        callbacks = self._waiting.pop(number, None)
        if callbacks is not None:
            callbacks[1](exc)

    def wait(self, msecs: int = 10_000) -> bool:
        return self.pool.waitForDone(msecs)

    def busy(self) -> bool:
        return bool(self._waiting)
