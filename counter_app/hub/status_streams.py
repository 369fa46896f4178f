"""The hub's live ticket status streams: one watcher per branch, shared by all its streams.

A branch with open ``/t/<code>`` pages in this process has one :class:`BranchWatch`. It holds
the branch's tickets of the watched days in memory (the latest ticket of each event), and when
the hub stores a push of the branch (``hub.status_notify``: one notification per push, to
every hub process) it reads only the events after the ones it has, in one short transaction,
computes the status of every watched code from memory (``booking_status.ServiceQueue``, the
same arithmetic as the page), encodes each status once and hands the frame to every stream of
that code. The cost of a push is one read per branch and process, whatever the number of open
pages.

The regional dashboard (``/pusat``) follows the same notifications: a logged-in dashboard is
told that a branch of its region pushed (:class:`DashboardListener`) and fetches its table.

Streams are capped per client address and in all, per process (:class:`StreamCaps`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from counter_app.core import calendar_id
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.hub import booking_status
from counter_app.hub.booking_models import HubBookingBranch
from counter_app.hub.booking_status import ServiceQueue
from counter_app.hub.models import HubBranch, HubEventRow
from counter_app.hub.status_notify import RESYNC
from counter_app.schemas.hub_status import HubTicketStatus

log = logging.getLogger(__name__)

BEAT = "beat"
END = "end"
Update = tuple[HubTicketStatus, bytes]
Item = Update | str
HEARTBEAT_FRAME = b": heartbeat\n\n"
FINAL_STATES = frozenset({"done", "no_show", "cancelled", "expired"})
LISTENER_LIMIT = 100  # a stream this far behind is ended; its page reconnects and reads afresh
TICK_SECONDS = 5.0  # how often the watches look whether an office has gone away
HEARTBEAT_SECONDS = 15.0
PER_ADDRESS_ENV = "COUNTER_APP_HUB_STREAMS_PER_ADDRESS"
TOTAL_ENV = "COUNTER_APP_HUB_STREAMS_TOTAL"


def status_frame(status: HubTicketStatus) -> bytes:
    return b"event: status\ndata: %s\n\n" % status.model_dump_json().encode()


@dataclass(eq=False)
class Listener:
    code: str
    branch_id: int
    address: str
    queue: asyncio.Queue[Item] = field(default_factory=asyncio.Queue)
    ended: bool = False
    greeted: bool = False  # has had its first status

    def put(self, item: Item) -> None:
        if self.ended:
            return
        if isinstance(item, tuple):
            self.greeted = True
        if self.queue.qsize() >= LISTENER_LIMIT:
            self.ended = True
            item = END
        self.queue.put_nowait(item)


@dataclass
class Delta:
    """What one read of a branch returns: its cursor and the events after the watch's."""

    last_seq: int
    synced_at: datetime | None
    name: str
    zone: str
    as_of: datetime | None  # the time of the event at last_seq (None: not read, unchanged)
    tickets: list[dict[str, Any]]  # the ticket of each event read, oldest first


def read_branch(session: Session, branch_id: int, first_day: date | None, after: int) -> Delta:
    """The branch's events after ``after``; with ``first_day``, instead every ticket event
    since the start of that day in the branch's zone (a fresh watch, or an earlier day)."""
    branch = session.get(HubBranch, branch_id)
    if branch is None:
        return Delta(after, None, "", "Asia/Jakarta", None, [])
    setup = session.get(HubBookingBranch, branch_id)
    zone = setup.timezone if setup is not None else "Asia/Jakarta"
    name = setup.name if setup is not None else branch.name
    last = int(branch.last_seq)
    tickets: list[dict[str, Any]] = []
    as_of: datetime | None = None
    if first_day is not None:
        since = datetime.combine(first_day, time(0), ZoneInfo(zone))
        rows = session.execute(
            select(HubEventRow.payload["ticket"])
            .where(
                HubEventRow.branch_id == branch_id,
                HubEventRow.at >= since,
                HubEventRow.seq <= last,
                text("jsonb_typeof(hub_events.payload->'ticket') = 'object'"),
            )
            .order_by(HubEventRow.seq)
        ).all()
        tickets = [row[0] for row in rows]
        as_of = session.scalar(
            select(HubEventRow.at).where(
                HubEventRow.branch_id == branch_id, HubEventRow.seq == last
            )
        )
    elif last > after:
        rows = session.execute(
            select(HubEventRow.at, HubEventRow.payload["ticket"])
            .where(HubEventRow.branch_id == branch_id, HubEventRow.seq > after)
            .where(HubEventRow.seq <= last)
            .order_by(HubEventRow.seq)
        ).all()
        tickets = [row[1] for row in rows if isinstance(row[1], dict)]
        as_of = rows[-1][0] if rows else None
    return Delta(last, branch.last_sync_at, name, zone, as_of, tickets)


Reader = Callable[[int, date | None, int], Delta]


def _day_of(ticket: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(ticket.get("service_day"))[:10])
    except ValueError:
        return None


def session_reader(sessions: sessionmaker[Session]) -> Reader:
    def read(branch_id: int, first_day: date | None, after: int) -> Delta:
        with sessions.begin() as session:
            return read_branch(session, branch_id, first_day, after)

    return read


class BranchWatch:
    """The shared watcher of one branch's ticket statuses in this process."""

    def __init__(self, branch_id: int, read: Reader) -> None:
        self.branch_id = branch_id
        self.listeners: dict[str, set[Listener]] = {}
        self.days: dict[str, date] = {}  # watched code -> its service day
        self.tickets: dict[int, dict[str, Any]] = {}
        self.by_code: dict[str, int] = {}
        self.first_day: date | None = None  # tickets held from this day on
        self.seq = 0
        self.as_of: datetime | None = None
        self.synced_at: datetime | None = None
        self.name = ""
        self.zone = "Asia/Jakarta"
        self.ready = False
        self.sent_stale: bool | None = None
        self.reads = 0  # for tests and the benchmark
        self.last_sent = monotonic()  # the last status or heartbeat to all its streams
        self._read = read
        self._reload = True
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"hub-status-{branch_id}")

    # --- listeners ------------------------------------------------------------------------

    def add(self, listener: Listener, day: date) -> None:
        self.listeners.setdefault(listener.code, set()).add(listener)
        self.days[listener.code] = day
        if self.first_day is None or day < self.first_day:
            self.first_day = day
            self._reload = True
            self._wake.set()
        elif self.ready and listener.code in self.by_code and not self._reload:
            listener.put(self._update(listener.code, datetime.now(UTC), {}))
        else:
            self._wake.set()  # a ticket newer than what this watch has read

    def discard(self, listener: Listener) -> None:
        group = self.listeners.get(listener.code)
        if group is None:
            return
        group.discard(listener)
        if not group:
            del self.listeners[listener.code]
            self.days.pop(listener.code, None)

    def close(self) -> None:
        self._task.cancel()

    def broadcast(self, item: Item) -> None:
        self.last_sent = monotonic()
        for group in self.listeners.values():
            for listener in group:
                listener.put(item)

    # --- waking ---------------------------------------------------------------------------

    def wake(self, seq: int = 0, *, force: bool = False) -> None:
        """A push of the branch stored up to ``seq`` (``force``: read anyway)."""
        if force or seq > self.seq or self.sent_stale:  # new events, or the office is back
            self._wake.set()
        else:
            self.synced_at = datetime.now(UTC)  # a heartbeat push: nothing else changed

    def stale(self, now: datetime) -> bool:
        synced = self.synced_at
        return synced is None or now - synced > booking_status.STALE_AFTER

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._refresh()
            except asyncio.CancelledError:
                raise
            except Exception:  # a journal this code cannot read: end the streams, go on
                log.exception("hub status watch of branch %s failed", self.branch_id)
                self.broadcast(END)
                self._reload = True

    async def _refresh(self) -> None:
        reload = self._reload
        self._reload = False
        first_day = self.first_day if reload else None
        self.reads += 1
        try:
            delta = await run_in_threadpool(self._read, self.branch_id, first_day, self.seq)
        except Exception:
            log.warning("hub status watch of branch %s: read failed; retrying", self.branch_id)
            self._reload = self._reload or reload
            await asyncio.sleep(1.0)
            self._wake.set()
            return
        if reload:
            self.tickets.clear()
            self.by_code.clear()
        for ticket in delta.tickets:
            ticket_id, day = ticket.get("id"), _day_of(ticket)
            if not isinstance(ticket_id, int) or day is None:
                continue  # not a ticket this code knows: the page shows what it can
            ticket["_day"] = day
            self.tickets[ticket_id] = ticket
            if ticket.get("code"):
                self.by_code[str(ticket["code"])] = ticket_id
        changed = reload or delta.last_seq != self.seq
        self.seq = delta.last_seq
        if delta.as_of is not None:
            self.as_of = delta.as_of
        self.synced_at = delta.synced_at
        self.name, self.zone = delta.name, delta.zone
        self.ready = True
        now = datetime.now(UTC)
        stale = self.stale(now)
        if changed or stale != self.sent_stale:
            self.sent_stale = stale
            self._fan_out(now)
        else:
            self._fan_out(now, only_new=True)
        self._prune()

    def _update(self, code: str, now: datetime, queues: dict[Any, ServiceQueue]) -> Update:
        mine = self.tickets[self.by_code[code]]
        key = (mine.get("service_id"), mine["_day"])  # the page's: its service, its day
        queue = queues.get(key)
        if queue is None:
            queue = ServiceQueue.of(
                t for t in self.tickets.values() if (t.get("service_id"), t["_day"]) == key
            )
            queues[key] = queue
        as_of = self.as_of or now
        status = HubTicketStatus(
            code=code,
            number=str(mine.get("number", "")),
            state=str(mine.get("state", "")),
            counter_name=mine.get("counter_name"),
            counter_number=mine.get("counter_number"),
            ahead=queue.ahead_of(mine),
            now_calling=queue.calling,
            seq=self.seq,
            as_of=as_of,
            as_of_text=(
                f"{calendar_id.clock(as_of, self.zone)} "
                f"{calendar_id.zone_abbreviation(self.zone) or self.zone}"
            ),
            age_seconds=max(0, int((now - as_of).total_seconds())),
            stale=self.stale(now),
        )
        return status, status_frame(status)

    def _fan_out(self, now: datetime, *, only_new: bool = False) -> None:
        """Each watched code's status, encoded once, to its streams (``only_new``: to the
        streams that have not had a first one yet)."""
        queues: dict[Any, ServiceQueue] = {}
        if not only_new:
            self.last_sent = monotonic()
        for code, group in self.listeners.items():
            if code not in self.by_code:
                continue
            targets = [one for one in group if not one.greeted] if only_new else list(group)
            if not targets:
                continue
            update = self._update(code, now, queues)
            for listener in targets:
                listener.put(update)

    def _prune(self) -> None:
        """Forget the tickets of days no page here shows any more."""
        if not self.days:
            return
        first = min(self.days.values())
        if self.first_day is not None and first > self.first_day:
            self.first_day = first
            for ticket_id, ticket in list(self.tickets.items()):
                if ticket["_day"] < first:
                    del self.tickets[ticket_id]
                    if self.by_code.get(str(ticket.get("code"))) == ticket_id:
                        del self.by_code[str(ticket.get("code"))]


CHANGED = "changed"
Regions = Callable[[], dict[int, str | None]]


@dataclass(eq=False)
class DashboardListener:
    """A logged-in dashboard (``hub.dashboard_stream``): told that a branch it may see has
    pushed, never what; at most one such note waits at a time."""

    region: str | None  # None: a hub admin sees every branch
    address: str
    queue: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    pending: bool = False

    def sees(self, region: str | None) -> bool:
        return self.region is None or self.region == region

    def put(self, item: str) -> None:
        if item == CHANGED:
            if self.pending:
                return
            self.pending = True
        self.queue.put_nowait(item)


def session_regions(sessions: sessionmaker[Session]) -> Regions:
    def read() -> dict[int, str | None]:
        with sessions.begin() as session:
            rows = session.execute(select(HubBranch.id, HubBranch.region)).all()
            return {int(branch_id): region for branch_id, region in rows}

    return read


@dataclass(frozen=True)
class StreamCaps:
    per_address: int
    total: int

    @classmethod
    def from_environment(cls) -> StreamCaps:
        return cls(
            per_address=int(os.environ.get(PER_ADDRESS_ENV, "10")),
            total=int(os.environ.get(TOTAL_ENV, "10000")),
        )


class StatusBoard:
    """All branch watches of this hub process, and the caps on open streams."""

    def __init__(self, read: Reader, caps: StreamCaps, regions: Regions | None = None) -> None:
        self._read = read
        self._read_regions = regions
        self.caps = caps
        self.watches: dict[int, BranchWatch] = {}
        self.dashboards: set[DashboardListener] = set()
        self.regions: dict[int, str | None] = {}  # branch -> region, for the dashboards
        self._unplaced: set[int] = set()  # pushed branches whose region is being read
        self._dashboards_beat = monotonic()
        self._placing: asyncio.Task[None] | None = None
        self._by_address: dict[str, int] = {}
        self.open = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ticker: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._ticker = asyncio.create_task(self._tick(), name="hub-status-tick")

    def wake_threadsafe(self, branch_id: int, seq: int) -> None:
        """From the listener's thread (``hub.status_notify``)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.wake, branch_id, seq)

    def wake(self, branch_id: int, seq: int) -> None:
        if branch_id == RESYNC:
            for every in self.watches.values():
                every.wake(force=True)
            return
        watch = self.watches.get(branch_id)
        if watch is not None:
            watch.wake(seq)
        if self.dashboards:
            self._tell_dashboards(branch_id)

    # --- dashboards ---------------------------------------------------------------------------

    def _tell_dashboards(self, branch_id: int) -> None:
        if branch_id not in self.regions:
            if not self._unplaced:
                self._placing = asyncio.create_task(self._place())
            self._unplaced.add(branch_id)
            return
        region = self.regions[branch_id]
        for dashboard in self.dashboards:
            if dashboard.sees(region):
                dashboard.put(CHANGED)

    async def _place(self) -> None:
        """Read the branches' regions (a branch added since), then tell the dashboards."""
        await asyncio.sleep(0)
        try:
            if self._read_regions is not None:
                self.regions = await run_in_threadpool(self._read_regions)
        except Exception as exc:  # the database away for a moment: the next push tries again
            log.warning("hub dashboards: reading the branches' regions failed: %s", exc)
        finally:
            waiting, self._unplaced = self._unplaced, set()
        for branch_id in waiting:
            if branch_id in self.regions:
                self._tell_dashboards(branch_id)

    async def follow_dashboard(self, region: str | None, address: str) -> DashboardListener:
        if self._read_regions is not None:
            self.regions = await run_in_threadpool(self._read_regions)
        listener = DashboardListener(region, address)
        self.dashboards.add(listener)
        self.open += 1
        self._by_address[address] = self._by_address.get(address, 0) + 1
        return listener

    def unfollow_dashboard(self, listener: DashboardListener) -> None:
        self.dashboards.discard(listener)
        self._count_out(listener.address)

    def check(self, address: str) -> None:
        """Refuse a new stream over a cap (before its answer starts)."""
        if self.open >= self.caps.total:
            raise AppError(ErrorCode.STREAMS_FULL, "Too many live status streams; try later.")
        if self._by_address.get(address, 0) >= self.caps.per_address:
            raise AppError(
                ErrorCode.TOO_MANY_STREAMS, "Too many live status streams from this address."
            )

    def join(self, branch_id: int, code: str, day: date, address: str) -> Listener:
        watch = self.watches.get(branch_id)
        if watch is None:
            watch = BranchWatch(branch_id, self._read)
            self.watches[branch_id] = watch
        listener = Listener(code, branch_id, address)
        watch.add(listener, day)
        self.open += 1
        self._by_address[address] = self._by_address.get(address, 0) + 1
        return listener

    def _count_out(self, address: str) -> None:
        self.open -= 1
        left = self._by_address.get(address, 1) - 1
        if left:
            self._by_address[address] = left
        else:
            self._by_address.pop(address, None)

    def leave(self, listener: Listener) -> None:
        self._count_out(listener.address)
        watch = self.watches.get(listener.branch_id)
        if watch is None:
            return
        watch.discard(listener)
        if not watch.listeners:
            del self.watches[listener.branch_id]
            watch.close()

    async def _tick(self) -> None:
        """The note once an office has gone away (no push comes then to wake its watch),
        and a heartbeat for the streams of a branch that sent nothing for a while (a status
        is a sign of life too: the streams of busy branches get none, and the others' come
        spread over the ticks, not all at once)."""
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = datetime.now(UTC)
            quiet_since = monotonic() - HEARTBEAT_SECONDS
            for watch in list(self.watches.values()):
                known = watch.sent_stale
                if watch.ready and known is not None and watch.stale(now) != known:
                    watch.wake(force=True)
                if watch.last_sent < quiet_since:
                    watch.broadcast(BEAT)
            if self.dashboards and self._dashboards_beat < quiet_since:
                self._dashboards_beat = monotonic()
                for dashboard in self.dashboards:
                    dashboard.put(BEAT)

    async def close(self) -> None:
        for watch in self.watches.values():
            watch.broadcast(END)  # the streams end with the process
        for dashboard in self.dashboards:
            dashboard.put(END)
        tasks = [w._task for w in self.watches.values()]
        if self._ticker is not None:
            tasks.append(self._ticker)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.watches.clear()
