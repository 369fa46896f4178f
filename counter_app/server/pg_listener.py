"""PostgreSQL LISTEN in a background thread: every committed event of every server process
reaches this process's broker. On a lost connection it reconnects with backoff and asks the
broker to resync from the journal, so nothing committed meanwhile is missed."""

from __future__ import annotations

import json
import logging

from counter_app.core.log_safe import printable
from counter_app.server.broker import Broker
from counter_app.store.journal import NOTIFY_CHANNEL
from counter_app.store.pg_listen import ListenThread

log = logging.getLogger(__name__)


class PgListener:
    def __init__(self, sqlalchemy_url: str, broker: Broker) -> None:
        self._broker = broker
        self._thread = ListenThread(
            sqlalchemy_url, NOTIFY_CHANNEL, self._dispatch, broker.resync, "pg-listen"
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start(timeout)

    def stop(self) -> None:
        self._thread.stop()

    def _dispatch(self, payload: str) -> None:
        try:
            event = json.loads(payload)
            branch_id, seq = int(event["branch_id"]), int(event["seq"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring malformed notification %s", printable(payload))
            return
        self._broker.notify(branch_id, seq, None if event.get("fetch") else event)
