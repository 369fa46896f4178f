"""Push this branch's journal to its hub, in the background (docs/HUB.md).

The journal is already a replication log (gap-free, in commit order), so this is the outbox
pattern: ask the hub how far it holds the journal (its cursor), send the events after it in
batches, oldest first, and carry on from the hub's answer. It pushes soon after this process
commits new events (one push in flight; the next takes what arrived meanwhile). A push the
hub already has changes nothing there, so a retry after any failure is safe. Nothing here
runs on a request's path: calling a ticket never waits for the hub; while the hub is away the
branch works as before and catches up once it answers again (retries back off: core.backoff).

Before pushing, the branch checks that the hub's copy is a prefix of its own journal: when the
hub holds more than the branch, or the event at the hub's cursor differs, this database is not
the one the hub received (restored from an older backup): nothing is pushed, and the log and
``/api/v1/health`` (``hub_sync``) say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

import orjson
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter_app.config import Settings
from counter_app.core.backoff import Backoff
from counter_app.core.error_codes import ErrorCode
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.hub import (
    PUSH_BATCH,
    BranchFigures,
    HubCursor,
    PushResult,
    event_hash,
)
from counter_app.schemas.hub_sync import HubSync
from counter_app.server.hub_feed import FEED_SECONDS, FeedRefusedError, ReportFeed
from counter_app.server.hub_http import HubConnection, HubDownError
from counter_app.store import journal
from counter_app.store.db import Database
from counter_app.store.journal import PendingEvent
from counter_app.store.models import Branch, Counter, Ticket
from counter_app.store.office import get_branch
from counter_app.store.tickets.common import today

log = logging.getLogger(__name__)
CONFLICT_RETRY_SECONDS = 5.0  # one cursor request: cheap, and health stays current
HEARTBEAT_SECONDS = 15.0  # default of Settings.hub_heartbeat_seconds
# After a notice of new events, wait this long before pushing: the events of one request (a
# finish and the next call) and of a burst go in one push. Under load pushes batch themselves:
# one is in flight at a time, and the next takes everything that arrived meanwhile.
COALESCE_SECONDS = 0.1
# A busy branch (dozens of commits a second) pushes at most about this often: each push costs
# the server a little (a request, the journal head, the live figures), and the events wait
# at most this long more. A quiet branch's event still goes after ``COALESCE_SECONDS``.
MIN_GAP_SECONDS = 0.5


# The next events to push, each already as its wire JSON, made by the database: a catch-up of
# days of journal then costs this process's Python (and the GIL its requests need) next to
# nothing per event. ``at`` and ``payload`` are the stored payload's, as the branch wrote them.
_BATCH = {
    "sqlite": text(
        "SELECT seq, json_object('seq', seq, 'kind', kind, 'at', json_extract(payload, '$.at'),"
        " 'payload', json(payload)) FROM events WHERE branch_id = :branch AND seq > :after"
        " ORDER BY seq LIMIT :limit"
    ),
    "postgresql": text(
        "SELECT seq, json_build_object('seq', seq, 'kind', kind, 'at', payload::json ->> 'at',"
        " 'payload', payload::json)::text FROM events WHERE branch_id = :branch AND seq > :after"
        " ORDER BY seq LIMIT :limit"
    ),
}


def _next_batch(session: Session, branch_id: int, after: int) -> list[tuple[int, str]]:
    statement = _BATCH[session.get_bind().dialect.name]
    rows = session.execute(statement, {"branch": branch_id, "after": after, "limit": PUSH_BATCH})
    return [(int(seq), str(event)) for seq, event in rows.all()]


def _push_body(batch: list[tuple[int, str]], figures: BranchFigures | None) -> bytes:
    """``{"events": [{"seq", "kind", "at", "payload"}, ...], "figures": ...}`` (JSON)."""
    events = ",".join(event for _, event in batch).encode()
    tail = b"" if figures is None else b',"figures":' + orjson.dumps(figures.model_dump())
    return b'{"events":[' + events + b"]" + tail + b"}"


class HubConflictError(Exception):
    """The hub's copy is not a prefix of this journal: pushing would rewrite history."""


class HubPusher:
    def __init__(
        self,
        db: Database,
        url: str,
        key: str,
        *,
        branch_code: str | None = None,
        interval: float = 0.5,
        coalesce: float = COALESCE_SECONDS,
        clock: Any = None,
        feed_seconds: float = FEED_SECONDS,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.heartbeat_seconds = heartbeat_seconds
        self.db = db
        self.url = url.rstrip("/")
        self.key = key
        self._hub = HubConnection(self.url, key)
        self.branch_code = branch_code
        self.interval = interval
        self.coalesce = coalesce
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._round_started = 0.0
        self.status = HubSync(state="starting")
        self._cursor: int | None = None
        self._branch_id: int | None = None
        self._backoff = Backoff(base=0.5, cap=30.0)
        self._last_logged: str | None = None
        self._last_post = 0.0  # time.monotonic() of the last push the hub took
        self.feed = ReportFeed(
            db, interval=feed_seconds
        )  # set-up and survey sums for the hub's reports
        self._feed_warned = False

    @classmethod
    def from_settings(cls, settings: Settings, db: Database, clock: Any) -> HubPusher | None:
        """The pusher for a server linked to a hub; ``None`` without one."""
        if not (settings.hub_url and settings.hub_key):
            return None
        return cls(
            db,
            settings.hub_url,
            settings.hub_key,
            branch_code=settings.hub_branch,
            interval=settings.hub_push_seconds,
            clock=clock,
            feed_seconds=settings.hub_feed_seconds,
            heartbeat_seconds=settings.hub_heartbeat_seconds,
        )

    # --- HTTP ---------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        """One request on the pusher's kept connection (``server.hub_http``)."""
        return self._hub.call(method, path, body)

    def close(self) -> None:
        """Drop the connection to the hub (the next request makes a new one)."""
        self._hub.close()

    # --- one round ----------------------------------------------------------------------

    def _branch(self) -> int:
        if self._branch_id is None:
            with self.db.read() as session:
                query = select(Branch.id).order_by(Branch.id).limit(1)
                if self.branch_code:
                    query = select(Branch.id).where(Branch.code == self.branch_code)
                found = session.scalar(query)
            if found is None:
                raise HubDownError(
                    f"no branch {self.branch_code!r} in this database"
                    if self.branch_code
                    else "this database has no branch yet"
                )
            self._branch_id = int(found)
        return self._branch_id

    def _ask_cursor(self, branch_id: int) -> int:
        status, body = self._call("GET", "/hub/v1/journal/cursor")
        if status != 200:
            raise HubDownError(f"the hub refused the cursor request ({status}): {body}")
        cursor = HubCursor.model_validate(body)
        with self.db.read() as session:
            local = journal.last_seq(session, branch_id)
            mine = (
                journal.events_between(session, branch_id, cursor.hub_seq - 1, cursor.hub_seq, 1)
                if cursor.hub_seq
                else []
            )
        if cursor.hub_seq > local:
            raise HubConflictError(
                f"the hub holds this branch's journal up to {cursor.hub_seq} but this "
                f"database's ends at {local}: restored from an older backup? Nothing is "
                "pushed until an administrator resolves it (docs/HUB.md)"
            )
        if mine and cursor.last_hash != event_hash(mine[0]):
            raise HubConflictError(
                f"event {cursor.hub_seq} at the hub differs from this database's: this "
                "journal is not the one the hub received (restored from an older backup?). "
                "Nothing is pushed until an administrator resolves it (docs/HUB.md)"
            )
        return cursor.hub_seq

    def _figures(self, branch_id: int) -> BranchFigures:
        with self.db.read() as session:
            return self._figures_in(session, branch_id, journal.last_seq(session, branch_id))

    def _figures_in(self, session: Session, branch_id: int, seq: int) -> BranchFigures:
        """People waiting and counters open, counted in the same read as the journal head
        ``seq`` (so at that sequence): the figures of the queue snapshot, without building it
        (the pusher sends them with nearly every push)."""
        now = self.clock() if self.clock is not None else datetime.now().astimezone()
        day = today(get_branch(session, branch_id), now)
        waiting = session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.branch_id == branch_id,
                Ticket.service_day == day,
                Ticket.state == TicketState.WAITING.value,
            )
        )
        open_counters = session.scalar(
            select(func.count())
            .select_from(Counter)
            .where(Counter.branch_id == branch_id, Counter.state == CounterState.OPEN.value)
        )
        return BranchFigures(
            seq=seq, waiting=int(waiting or 0), open_counters=int(open_counters or 0)
        )

    def sync_once(self) -> HubSync:
        """Push everything the hub lacks; return the link's state (raises when it is down)."""
        branch_id = self._branch()
        if self._cursor is None:
            self._cursor = self._ask_cursor(branch_id)
        cursor = self._cursor
        while True:
            with self.db.read() as session:
                local = journal.last_seq(session, branch_id)
                batch = _next_batch(session, branch_id, cursor)
                last = batch[-1][0] if batch else None
                # The last batch carries the live figures, read with it (one read per push).
                figures = (
                    self._figures_in(session, branch_id, local)
                    if last is not None and last >= local
                    else None
                )
            if not batch:
                if local < cursor:  # the journal went backwards under a running server
                    self._cursor = None
                    raise HubConflictError(f"the hub holds {cursor}, this journal ends at {local}")
                break
            status, body = self._call("POST", "/hub/v1/journal", _push_body(batch, figures))
            if status == 200:
                cursor = PushResult.model_validate(body).hub_seq
                self._last_post = time.monotonic()
            elif (
                status == 409 and isinstance(body, dict) and body.get("error") == ErrorCode.HUB_GAP
            ):
                cursor = int(body["hub_seq"])  # resume from the hub's answer
            elif status == 409:
                self._cursor = None
                raise HubConflictError(str(body.get("message") if isinstance(body, dict) else body))
            else:
                self._cursor = None
                raise HubDownError(f"the hub refused the push ({status}): {body}")
            self._cursor = cursor
        if time.monotonic() - self._last_post >= self.heartbeat_seconds:
            self._heartbeat(branch_id)
        try:
            self.feed.send_if_due(self._call, branch_id)
        except FeedRefusedError as exc:  # the journal goes on; the feed is tried again later
            if not self._feed_warned:
                log.warning("hub report feed: %s", exc)
                self._feed_warned = True
        state = "synced" if cursor >= local else "behind"
        return HubSync(state=state, hub_seq=cursor, local_seq=max(local, cursor))

    def _heartbeat(self, branch_id: int) -> None:
        """A push without events: the live figures, and a sign of life for the dashboard."""
        push = {"events": [], "figures": self._figures(branch_id).model_dump()}
        status, body = self._call("POST", "/hub/v1/journal", orjson.dumps(push))
        if status != 200:
            self._cursor = None
            raise HubDownError(f"the hub refused the push ({status}): {body}")
        self._last_post = time.monotonic()

    # --- the loop -----------------------------------------------------------------------

    def _note(self, level: int, message: str) -> None:
        if message != self._last_logged:
            log.log(level, "%s", message)
            self._last_logged = message

    def notice(self, events: Sequence[PendingEvent]) -> None:
        """Events committed by this process (any thread; ``Database.on_commit``): push soon.
        Each server process pushes what it wrote; what another process wrote is pushed by
        that process (and read here too at the next look at the journal)."""
        loop, wake = self._loop, self._wake
        if not events or loop is None or wake is None or loop.is_closed():
            return
        if self._branch_id is not None and all(e.branch_id != self._branch_id for e in events):
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(wake.set)

    async def _wait_for_news(self) -> None:
        """Until new events are noticed (then ``coalesce`` more) or ``interval`` passes: the
        journal is read again then anyway, for events without a notice, the heartbeat and the
        report feed."""
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), self.interval)
        except TimeoutError:
            return
        since = time.monotonic() - self._round_started
        await asyncio.sleep(max(self.coalesce, MIN_GAP_SECONDS - since))

    async def run(self) -> None:
        """Push until cancelled: soon after new events (one push in flight, the next takes
        what arrived meanwhile), at least every ``interval`` while up, backing off while
        down."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self.db.on_commit(self.notice)
        try:
            await self._loop_rounds()
        finally:
            self.close()

    async def _loop_rounds(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()  # events committed from here on are in the next push
            self._round_started = time.monotonic()
            pause: float | None = None
            try:
                self.status = await asyncio.to_thread(self.sync_once)
                self._backoff.reset()
                if self._last_logged is not None:
                    self._note(logging.INFO, f"hub link up; the hub holds {self.status.hub_seq}")
                    self._last_logged = None
            except HubConflictError as exc:
                message = f"hub sync stopped: {exc}"
                self._note(logging.ERROR, message)
                self.status = HubSync(
                    state="conflict", hub_seq=self._cursor, local_seq=self._local(), error=str(exc)
                )
                pause = CONFLICT_RETRY_SECONDS
            except HubDownError as exc:
                self._note(logging.WARNING, f"hub sync waiting: {exc}")
                self.status = HubSync(
                    state="down", hub_seq=self._cursor, local_seq=self._local(), error=str(exc)
                )
                self._cursor = None  # ask again: another hub process may answer next time
                self.feed.reset()
                pause = self._backoff.next()
            except Exception as exc:  # never let the pusher die with the server running
                log.exception("hub sync failed unexpectedly")
                self.status = HubSync(state="down", error=f"unexpected: {exc}")
                self._cursor = None
                pause = self._backoff.next()
            if pause is None:
                await self._wait_for_news()
            else:  # down or refused: new events do not shorten the wait
                await asyncio.sleep(pause)

    def _local(self) -> int | None:
        if self._branch_id is None:
            return None
        try:
            with self.db.read() as session:
                return journal.last_seq(session, self._branch_id)
        except Exception:  # the health figure is a nicety; the database may be closing
            return None


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def with_background(
    lifespan: Lifespan, job: Callable[[], Coroutine[Any, Any, None]] | None
) -> Lifespan:
    """``lifespan`` with ``job`` (the hub's pusher or puller) running in the background while
    the server serves, cancelled when it stops; unchanged without a job."""
    if job is None:
        return lifespan

    @contextlib.asynccontextmanager
    async def running(app: FastAPI) -> AsyncIterator[None]:
        async with lifespan(app):
            task = asyncio.create_task(job())
            try:
                yield
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return running
