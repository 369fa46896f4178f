"""The branch's report feed to its hub (``push_report_feed``, docs/HUB.md): what the hub's
reports need that the journal does not hold. Sent by the pusher (``server.hub_push``) after
its journal round, never on a request's path.

* **Set-up** (time zone, services with target waits, counters, officers' names): on the
  pusher's first round, then whenever it differs from what was last sent (read every
  ``FEED_SECONDS``).
* **Survey sums** per service day and service: at first every day's, then the days that
  received an answer submitted since the last feed (less ``SURVEY_MARGIN``, for answers
  committed late). A day's sums replace what the hub held for it, so repeats are harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from counter_app.store.db import Database
from counter_app.store.hub_feed import branch_profile, survey_day_sums

FEED_SECONDS = 30.0
SURVEY_MARGIN = timedelta(minutes=10)
SURVEYS_PER_FEED = 5000

Call = Callable[[str, str, bytes | None], tuple[int, Any]]


class FeedRefusedError(Exception):
    """The hub did not take the feed (an older hub without it answers 404)."""


class ReportFeed:
    def __init__(self, db: Database, *, interval: float = FEED_SECONDS) -> None:
        self.db = db
        self.interval = interval
        self._last_profile: bytes | None = None
        self._surveys_since: datetime | None = None
        self._next_at = 0.0

    def reset(self) -> None:
        """Send everything again next time (after the hub was away: it may be another)."""
        self._last_profile = None
        self._surveys_since = None
        self._next_at = 0.0

    def send_if_due(self, call: Call, branch_id: int) -> None:
        if time.monotonic() < self._next_at:
            return
        started = datetime.now(UTC)
        with self.db.read() as session:
            profile = branch_profile(session, branch_id)
            surveys = survey_day_sums(
                session,
                branch_id,
                None if self._surveys_since is None else self._surveys_since - SURVEY_MARGIN,
            )
        encoded = orjson.dumps(profile, option=orjson.OPT_SORT_KEYS)
        send_profile = encoded != self._last_profile
        for offset in range(0, max(len(surveys), 1), SURVEYS_PER_FEED):
            part = surveys[offset : offset + SURVEYS_PER_FEED]
            if not part and not send_profile:
                break
            body: dict[str, Any] = {"surveys": part}
            if send_profile:
                body["profile"] = profile
            status, answer = call("POST", "/hub/v1/feed", orjson.dumps(body))
            if status != 200:
                self._next_at = time.monotonic() + self.interval
                raise FeedRefusedError(f"the hub refused the report feed ({status}): {answer}")
            send_profile = False
        self._last_profile = encoded
        self._surveys_since = started
        self._next_at = time.monotonic() + self.interval
