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
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app.core.log_safe import printable
from counter_app.store.pg_listen import ListenThread

log = logging.getLogger(__name__)
CHANNEL = "counter_app_hub_branch"
RESYNC = -1  # the branch id reported after a reconnect: every branch may have changed
Wake = Callable[[int, int], None]


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
        self._wake = wake
        self._thread = ListenThread(
            sqlalchemy_url, CHANNEL, self._notice, lambda: wake(RESYNC, 0), "hub-listen"
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start(timeout)

    def stop(self) -> None:
        self._thread.stop()

    def _notice(self, payload: str) -> None:
        found = parse(payload)
        if found is None:
            log.warning("ignoring notification %s", printable(payload))
            return
        self._wake(*found)
