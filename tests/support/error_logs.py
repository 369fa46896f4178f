"""A test fails on an ERROR log record of the app or of uvicorn that it did not assert.

A server in a thread of the test process (``tests.support.live_server``) logs its unexpected
errors and carries on, so a broken route could pass every test that did not look at that
answer. This pytest plugin (loaded by ``tests/conftest.py``) collects every record of level
ERROR or worse from the loggers ``counter_app.*`` and ``uvicorn.error`` while a test runs, from
every thread, and fails the test at teardown if any is left.

A test that provokes such a record on purpose either carries
``@pytest.mark.allow_error_logs`` or asserts the records it expects with the ``error_logs``
fixture (``error_logs.take()`` returns them and counts them as seen).

pytest's ``caplog`` is not enough: it hangs on the root logger, and ``uvicorn.error`` does not
propagate there. A handler on ``counter_app`` sees all its children from any thread. uvicorn
replaces the handlers of its loggers each time a server's ``Config`` is made (``dictConfig``),
so ``uvicorn.error`` is watched through a logger filter, which that leaves in place.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

MARKER = "allow_error_logs"
APP_LOGGER = "counter_app"
SERVER_LOGGER = "uvicorn.error"
_FORMAT = logging.Formatter("%(name)s %(levelname)s [%(threadName)s]: %(message)s")


class _Handler(logging.Handler):
    def __init__(self, keep: ErrorLogs) -> None:
        super().__init__(level=logging.ERROR)
        self.keep = keep

    def emit(self, record: logging.LogRecord) -> None:
        self.keep.add(record)


class ErrorLogs:
    """ERROR (and worse) records of ``counter_app.*`` and ``uvicorn.error``, any thread."""

    def __init__(self) -> None:
        self._records: list[logging.LogRecord] = []
        self._lock = threading.Lock()

    def add(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            with self._lock:
                self._records.append(record)

    def _filter(self, record: logging.LogRecord) -> bool:
        self.add(record)
        return True  # a tap: the record goes on as before

    @property
    def records(self) -> list[logging.LogRecord]:
        with self._lock:
            return list(self._records)

    def take(self) -> list[logging.LogRecord]:
        """The records so far, now counted as asserted by the test."""
        with self._lock:
            taken, self._records = self._records, []
        return taken

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]

    @contextmanager
    def installed(self) -> Iterator[ErrorLogs]:
        app = logging.getLogger(APP_LOGGER)
        server = logging.getLogger(SERVER_LOGGER)
        handler = _Handler(self)
        app.addHandler(handler)
        server.addFilter(self._filter)
        try:
            yield self
        finally:
            server.removeFilter(self._filter)
            app.removeHandler(handler)

    def unasserted(self) -> str | None:
        """Why the test fails, or None when no record is left."""
        left = self.records
        if not left:
            return None
        lines = [
            f"{len(left)} ERROR log record(s) nobody asserted (assert them with the error_logs "
            f"fixture's take(), or mark a test that provokes them @pytest.mark.{MARKER}):"
        ]
        for record in left:
            lines.append(_FORMAT.format(record))
        return "\n".join(lines)


@pytest.fixture(autouse=True)
def error_logs(request: pytest.FixtureRequest) -> Iterator[ErrorLogs]:
    """Collects the test's ERROR records (its fixtures' teardown included); fails on any
    left unasserted unless the test is marked ``allow_error_logs``."""
    logs = ErrorLogs()
    with logs.installed():
        yield logs
    if request.node.get_closest_marker(MARKER) is None:
        problem = logs.unasserted()
        if problem is not None:
            pytest.fail(problem, pytrace=False)
