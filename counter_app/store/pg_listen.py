"""PostgreSQL LISTEN on a connection of its own, in a background thread: the branch server's
event listener (``server.pg_listener``) and the hub's push listener (``hub.status_notify``).

Each notification's text goes to ``on_notice``. On a lost connection the thread reconnects
with backoff (``core.backoff``) and then calls ``on_reconnect``, so the owner can re-read
what was committed while it was not listening."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.engine import make_url

from counter_app.core.backoff import Backoff

log = logging.getLogger(__name__)
RETRY_FIRST = 0.2  # seconds: the ceiling of the first reconnect's pause
RETRY_CAP = 5.0


def libpq_url(sqlalchemy_url: str) -> str:
    """The libpq address of an SQLAlchemy URL (``postgresql+psycopg://…`` → ``postgresql://…``)."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class ListenThread:
    def __init__(
        self,
        sqlalchemy_url: str,
        channel: str,
        on_notice: Callable[[str], None],
        on_reconnect: Callable[[], None],
        name: str,
    ) -> None:
        self._url = libpq_url(sqlalchemy_url)
        self._channel = channel
        self._on_notice = on_notice
        self._on_reconnect = on_reconnect
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg  # here: a server on SQLite never loads the driver

        backoff = Backoff(RETRY_FIRST, RETRY_CAP)
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {self._channel}")
                    self._ready.set()
                    if not first:
                        self._on_reconnect()
                    first = False
                    backoff.reset()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self._on_notice(note.payload)
            except psycopg.Error as exc:
                log.warning("%s lost its connection (%s); retrying", self._thread.name, exc)
                time.sleep(backoff.next())
