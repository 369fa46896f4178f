"""The ``error_logs`` fixture (tests/support/error_logs.py) fails a test on an ERROR record
of the app or of uvicorn that the test did not assert, from any thread; a marked test, or one
that takes its records, passes."""

from __future__ import annotations

import pytest

INNER_TESTS = """
import logging
import threading

import pytest
import uvicorn


def test_a_warning_is_no_failure():
    logging.getLogger("counter_app.server.errors").warning("only a warning")


def test_an_error_in_a_server_thread():
    log = logging.getLogger("counter_app.server.errors")
    thread = threading.Thread(target=lambda: log.error("boom in a thread"), name="uvicorn-1")
    thread.start()
    thread.join(5)


def test_an_error_of_uvicorn_after_it_configured_its_logging():
    uvicorn.Config("nowhere:app", log_level="warning")  # dictConfig: uvicorn's own handlers
    logging.getLogger("uvicorn.error").error("uvicorn broke")


@pytest.mark.allow_error_logs
def test_a_marked_test_may_log_errors():
    logging.getLogger("counter_app.x").error("expected")


def test_a_taken_error_is_asserted(error_logs):
    logging.getLogger("counter_app.x").exception("expected")
    assert [record.getMessage() for record in error_logs.take()] == ["expected"]


def test_another_librarys_errors_are_not_watched():
    logging.getLogger("somebody.else").error("not ours")
"""


@pytest.mark.allow_error_logs  # the inner run's records pass through this test's own loggers
def test_unasserted_error_records_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\nmarkers =\n    allow_error_logs: errors provoked on purpose\n"
        "addopts = --strict-markers -p tests.support.error_logs\n"
    )
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=6, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_an_error_in_a_server_thread*",
            "*1 ERROR log record(s) nobody asserted*",
            "counter_app.server.errors ERROR [[]uvicorn-1[]]: boom in a thread",
            "*ERROR at teardown of test_an_error_of_uvicorn_after_it_configured_its_logging*",
            "uvicorn.error ERROR [[]MainThread[]]: uvicorn broke",
        ]
    )
