"""PostgreSQL LISTEN in a background thread: every committed event of every server process
reaches this process's broker. On a lost connection it reconnects with backoff and asks the
broker to resync from the journal, so nothing committed meanwhile is missed."""

from __future__ import annotations

import json
import logging
import threading
import time

from sqlalchemy.engine import make_url

from counter_app.core.backoff import Backoff
from counter_app.core.log_safe import printable
from counter_app.server.broker import Broker
from counter_app.store.journal import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
RETRY_FIRST = 0.2  # seconds: the ceiling of the first reconnect's pause (core.backoff)
RETRY_CAP = 5.0


def libpq_url(sqlalchemy_url: str) -> str:
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgListener:
    def __init__(self, sqlalchemy_url: str, broker: Broker) -> None:
        self._url = libpq_url(sqlalchemy_url)
        self._broker = broker
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        backoff = Backoff(RETRY_FIRST, RETRY_CAP)
        first = True
        while not self._stop.is_set():
            try:
                import psycopg  # here: a server on SQLite never loads the driver

                with psycopg.connect(self._url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._ready.set()
                    if not first:
                        self._broker.resync()
                    first = False
                    backoff.reset()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self._dispatch(note.payload)
            except psycopg.Error as exc:
                log.warning("event listener lost its connection (%s); retrying", exc)
                time.sleep(backoff.next())

    def _dispatch(self, payload: str) -> None:
        try:
            event = json.loads(payload)
            branch_id, seq = int(event["branch_id"]), int(event["seq"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring malformed notification %s", printable(payload))
            return
        self._broker.notify(branch_id, seq, None if event.get("fetch") else event)
