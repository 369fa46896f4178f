"""TaskRunner: work off the Qt thread, answers back on it, and nothing kept once answered."""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from counter_app.views.tasks import TaskRunner
from tests.gui.waits import WAIT_MS
from tests.support.error_logs import ErrorLogs


def test_answers_come_back_on_the_qt_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[str, object, bool]] = []
    qt_thread = threading.current_thread()

    def work() -> str:
        assert threading.current_thread() is not qt_thread
        return "done"

    def fail() -> str:
        raise ValueError("no")

    runner.run(
        work, lambda r: seen.append(("ok", r, threading.current_thread() is qt_thread)), print
    )
    runner.run(
        fail, print, lambda e: seen.append(("error", e, threading.current_thread() is qt_thread))
    )
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert not runner.busy()
    assert {(kind, on_qt) for kind, _value, on_qt in seen} == {("ok", True), ("error", True)}
    assert next(v for k, v, _ in seen if k == "ok") == "done"
    assert isinstance(next(v for k, v, _ in seen if k == "error"), ValueError)


def test_nothing_of_a_job_outlives_its_answer(qtbot: QtBot) -> None:
    """A window runs thousands of jobs a day; each must be freed once it has answered."""
    runner = TaskRunner()
    answered: list[int] = []
    callbacks: list[weakref.ref[Callable[[object], None]]] = []
    for n in range(50):

        def on_done(_result: object, n: int = n) -> None:
            answered.append(n)

        callbacks.append(weakref.ref(on_done))
        runner.run(lambda: bytearray(1000), on_done, print)
        del on_done
    qtbot.waitUntil(lambda: len(answered) == 50, timeout=WAIT_MS)
    gc.collect()
    assert [ref for ref in callbacks if ref() is not None] == []
    assert len(runner.children()) == 2  # its thread pool and its one signal object


def test_the_result_reaches_on_done_as_work_returned_it(qtbot: QtBot) -> None:
    """``run`` is generic: ``on_done`` is typed by ``work``'s return (mypy checks callers)."""
    runner = TaskRunner()
    results: list[tuple[int, str]] = []

    def work() -> tuple[int, str]:
        return 42, "A-007"

    def on_done(result: tuple[int, str]) -> None:
        results.append(result)

    runner.run(work, on_done, print)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results == [(42, "A-007")]


def test_a_failure_goes_to_on_error_and_not_to_on_done(qtbot: QtBot) -> None:
    runner = TaskRunner()
    done: list[object] = []
    errors: list[Exception] = []

    def work() -> int:
        raise LookupError("no such ticket")

    runner.run(work, done.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert runner.wait(WAIT_MS) and not runner.busy()
    assert done == []
    assert [type(e) for e in errors] == [LookupError]


def test_a_failure_nobody_asked_about_is_logged_with_its_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, error_logs: ErrorLogs
) -> None:
    runner = TaskRunner()
    caplog.set_level(logging.WARNING, logger="counter_app.views.tasks")

    def work() -> int:
        raise LookupError("no such ticket")

    runner.run(work, print)
    qtbot.waitUntil(lambda: bool(caplog.records), timeout=WAIT_MS)
    [record] = caplog.records
    assert record.levelno >= logging.WARNING
    assert "no such ticket" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is LookupError
    assert "raise LookupError" in caplog.text  # the traceback, to find where it broke
    assert not runner.busy()
    assert len(error_logs.take()) == 1  # asserted above, so the error-log check lets it pass
