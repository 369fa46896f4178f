"""Wake every hub process when a branch's push is stored: PostgreSQL NOTIFY and LISTEN.

The push ingest sends one notification per push (not per event), inside its transaction, so
it goes out when the push commits and never for a push that was rolled back. Each hub process
listens on one connection of its own, in a background thread, and hands ``(branch_id,
hub_seq)`` to its live status streams (``hub.status_streams``). A push with no new events
(the branch's heartbeat) notifies too: it ends the "office away" note.

On a lost connection the thread reconnects with backoff and then reports ``RESYNC``: the
streams re-read every branch they show, so nothing stored meanwhile is missed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from counter_app.core.backoff import Backoff
from counter_app.core.log_safe import printable

log = logging.getLogger(__name__)
CHANNEL = "counter_app_hub_branch"
RESYNC = -1  # the branch id reported after a reconnect: every branch may have changed
RETRY_FIRST = 0.2
RETRY_CAP = 5.0
Wake = Callable[[int, int], None]


def libpq_url(sqlalchemy_url: str) -> str:
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def notify_branch_updated(session: Session, branch_id: int, hub_seq: int) -> None:
    """Within the push's transaction: tell every hub process that ``branch_id`` now holds
    its journal up to ``hub_seq`` (sent on commit)."""
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": f"{branch_id}:{hub_seq}"},
    )


def parse(payload: str) -> tuple[int, int] | None:
    branch, _, seq = payload.partition(":")
    try:
        return int(branch), int(seq)
    except ValueError:
        return None


class BranchListener:
    """LISTEN in a daemon thread; ``wake(branch_id, hub_seq)`` is called from that thread."""

    def __init__(self, sqlalchemy_url: str, wake: Wake) -> None:
        self._url = libpq_url(sqlalchemy_url)
        self._wake = wake
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-listen", daemon=True)

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        backoff = Backoff(RETRY_FIRST, RETRY_CAP)
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    if not first:
                        self._wake(RESYNC, 0)
                    first = False
                    backoff.reset()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            found = parse(note.payload)
                            if found is None:
                                log.warning("ignoring notification %s", printable(note.payload))
                                continue
                            self._wake(*found)
            except psycopg.Error as exc:
                log.warning("hub listener lost its connection (%s); retrying", exc)
                time.sleep(backoff.next())
