"""A live server's access log never holds a bearer token sent in the address."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import Running
from tests.support.sse import EventStream


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def access_log() -> Iterator[_Keep]:
    """uvicorn's access log as the server formats it (the test server runs at WARNING)."""
    logger = logging.getLogger("uvicorn.access")
    level = logger.level
    keep = _Keep()
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    try:
        yield keep
    finally:
        logger.removeHandler(keep)
        logger.setLevel(level)


def test_tokens_in_the_query_string_are_redacted_from_the_access_log(
    running_sqlite: Running,
) -> None:
    running = running_sqlite
    token = running.office.display_token
    with access_log() as log:
        with EventStream(
            running.server.url, running.office.branch_id, token, token_in_query=True
        ) as stream:
            assert stream.response.status_code == 200
            stream.next_message(time.monotonic() + 5)
        # A client that puts its token in the address of another route is refused, and its
        # token is kept out of the log as well.
        r = running.anon.get(f"/api/v1/auth/me?access_token={token}")
        assert r.status_code == 401
        deadline = time.monotonic() + 5
        while len(log.lines) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert len(log.lines) >= 2, log.lines
    assert all(token not in line for line in log.lines), log.lines
    assert sum("access_token=[redacted]" in line for line in log.lines) >= 2, log.lines
