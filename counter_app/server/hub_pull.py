"""Booking from home: the branch's side of the hub's bookings, in the background (docs/HUB.md).

Each round (every ``COUNTER_APP_HUB_PULL_SECONDS`` while the hub answers, backing off while
it does not): send the branch's booking set-up when it changed since the hub last took it,
then pull the hub's bookings of this branch after the stored cursor and take them in
(``store.hub_bookings.apply_feed``: in one transaction with the cursor, so a repeated or
overlapping pull creates nothing twice). Nothing here is on a request's path: the kiosk checks
in every booking taken in so far whether or not the hub is reachable.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any

import orjson

from counter_app.config import Settings
from counter_app.core.backoff import Backoff
from counter_app.schemas.hub_booking import HubBookingFeed
from counter_app.server.hub_http import HubDownError
from counter_app.server.hub_push import HubPusher
from counter_app.store import hub_bookings
from counter_app.store.db import Database
from counter_app.store.models import HubLink

log = logging.getLogger(__name__)
FEED_PAGE = 500
SHARE_SETTLE_SECONDS = 6.0


class HubPuller:
    def __init__(
        self,
        db: Database,
        url: str,
        key: str,
        *,
        online_share: int,
        branch_code: str | None = None,
        interval: float = 1.0,
        clock: Any = None,
    ) -> None:
        self.db = db
        self.online_share = online_share
        self.interval = interval
        self.clock = clock
        # The pusher's HTTP call and branch lookup (same link key, same hub).
        self._link = HubPusher(db, url, key, branch_code=branch_code)
        self._backoff = Backoff(base=0.5, cap=30.0)
        self._down: str | None = None
        self.pulled = 0  # bookings created or cancelled here since start

    @classmethod
    def from_settings(cls, settings: Settings, db: Database, clock: Any) -> HubPuller | None:
        if not (settings.hub_url and settings.hub_key):
            return None
        return cls(
            db,
            settings.hub_url,
            settings.hub_key,
            online_share=settings.hub_online_share,
            branch_code=settings.hub_branch,
            interval=settings.hub_pull_seconds,
            clock=clock,
        )

    def _now(self) -> datetime:
        now: datetime = self.clock() if self.clock is not None else datetime.now(UTC)
        return now

    def _send_setup(self, branch_id: int) -> None:
        """Send the set-up when it changed. A changed online share is applied here in the order
        that keeps the two shares apart: a larger one (or a first link) shrinks the branch's
        own share before the hub hears of it, a smaller one grows it only once every hub
        process has taken it. The branch's own bookings past what a larger share leaves it
        are counted once its smaller share holds, and go with the set-up."""
        share = self.online_share
        with self.db.write() as session:
            row = hub_bookings.link(session, branch_id, 0)  # a new link: as if raised from 0
            before = row.online_share
            row.online_share = max(before, share)
            setup = hub_bookings.booking_setup(session, branch_id, share, self._now())
            digest = hub_bookings.setup_hash(setup)
            if row.setup_hash == digest and before == share:
                return
        if share > before:
            # Every server process sees the smaller own share once its cached copy of the
            # service (StoreCaches.bookable, 5 s) has expired: only then may the hub book more,
            # and only then are the branch's own bookings final enough to send.
            time.sleep(SHARE_SETTLE_SECONDS)
            with self.db.read() as session:
                setup = hub_bookings.booking_setup(session, branch_id, share, self._now())
                digest = hub_bookings.setup_hash(setup)
        status, body = self._link._call(
            "PUT", "/hub/v1/booking/setup", orjson.dumps(setup.model_dump(mode="json"))
        )
        if status != 200:
            raise HubDownError(f"the hub refused the booking set-up ({status}): {body}")
        if share < before:
            # Each hub process keeps a service's set-up for a few seconds (hub.booking,
            # BOOKABLE_SECONDS): the branch books the places given back only after that.
            time.sleep(SHARE_SETTLE_SECONDS)
        with self.db.write() as session:
            row = hub_bookings.link(session, branch_id, share)
            row.setup_hash = digest
            row.online_share = share
        log.info("booking set-up sent to the hub (%d services)", len(setup.services))

    def pull_once(self) -> int:
        """One round; the bookings created or cancelled here."""
        branch_id = self._link._branch()
        self._send_setup(branch_id)
        done = 0
        while True:
            with self.db.read() as session:
                row = session.get(HubLink, branch_id)
                cursor = row.pull_cursor if row is not None else 0
            status, body = self._link._call(
                "GET", f"/hub/v1/booking/feed?after={cursor}&limit={FEED_PAGE}"
            )
            if status != 200:
                raise HubDownError(f"the hub refused the booking feed ({status}): {body}")
            page = HubBookingFeed.model_validate(body)
            if not page.changes:
                return done
            with self.db.write() as session:
                _, applied = hub_bookings.apply_feed(
                    session, branch_id, self.online_share, page.changes, self._now()
                )
            done += applied
            self.pulled += applied
            if len(page.changes) < FEED_PAGE:
                return done

    async def run(self) -> None:
        try:
            await self._rounds()
        finally:
            self.close()

    def close(self) -> None:
        """Drop the kept connection to the hub (``run`` does when it ends)."""
        self._link.close()

    async def _rounds(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.pull_once)
                self._backoff.reset()
                if self._down is not None:
                    log.info("hub bookings: link up again")
                    self._down = None
                pause = self.interval
            except HubDownError as exc:
                if str(exc) != self._down:
                    log.warning("hub bookings waiting: %s", exc)
                    self._down = str(exc)
                pause = self._backoff.next()
            except Exception:  # never let the puller die with the server running
                log.exception("hub bookings: pull failed unexpectedly")
                pause = self._backoff.next()
            await asyncio.sleep(pause)
