"""Fan-out of journal events to the Server-Sent Events subscribers of this process.

Events arrive from the write path (SQLite: right after commit, from the writing thread) or
from PostgreSQL LISTEN (every process, including the one that wrote). They can arrive out of
order or not at all (a lost notification), so the broker trusts only the journal's numbering:
per branch it remembers the last sequence delivered, drops what is not newer, and when an
event skips ahead it reads the missing ones from the journal first. That is safe because a
committed event N means every event below N is committed too (store.journal).

Each event is encoded once into its SSE frame and the same bytes go to every subscriber. A
subscriber that falls ``QUEUE_LIMIT`` frames behind is cut off; its client reconnects with
``Last-Event-ID`` and catches up from the journal instead of holding memory here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from counter_app.store.journal import PendingEvent

log = logging.getLogger(__name__)

QUEUE_LIMIT = 5_000
Frame = tuple[int, bytes]
GapReader = Callable[[int, int, int], Sequence[dict[str, Any]]]  # (branch, after, up_to)
LastSeqReader = Callable[[int], int]
CUT_OFF: Frame = (-1, b"")
HEARTBEAT: Frame = (0, b": heartbeat\n\n")
_ALL_BRANCHES = 0  # branch ids start at 1


def encode(event: dict[str, Any]) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (
        int(event["seq"]),
        str(event["kind"]).encode(),
        orjson.dumps(event),
    )


def frame_seq(frame: bytes) -> int:
    """The ``id:`` of an encoded frame."""
    return int(frame.split(b"\n", 1)[0][4:])


@dataclass(eq=False)
class Subscriber:
    branch_id: int
    user_id: int | None = None  # whose stream (None: a device's)
    token_digest: str | None = None  # the token it was opened with (store.auth.token_digest)
    device_id: int | None = None  # the device whose stream it is (None: a user's)
    queue: asyncio.Queue[Frame] = field(default_factory=asyncio.Queue)
    cut_off: bool = False


class Broker:
    def __init__(
        self, read_gap: GapReader, read_last_seq: LastSeqReader, heartbeat_seconds: float = 15.0
    ) -> None:
        self._read_gap = read_gap
        self._heartbeat_seconds = heartbeat_seconds
        self._beat: asyncio.Task[None] | None = None
        self._read_last_seq = read_last_seq
        self._subscribers: dict[int, set[Subscriber]] = {}
        self._last: dict[int, int] = {}
        self._incoming: asyncio.Queue[tuple[int, int, dict[str, Any] | None]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    # --- lifecycle (on the event loop) ---

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._incoming = asyncio.Queue()
        self._task = asyncio.create_task(self._run(), name="event-broker")
        # One timer for all streams: a per-stream timeout on every wait cost more than the
        # events themselves with a thousand subscribers.
        self._beat = asyncio.create_task(self._heartbeats(), name="event-heartbeats")

    async def stop(self) -> None:
        if self._beat is not None:
            self._beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beat
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for subs in self._subscribers.values():
            for sub in subs:
                sub.queue.put_nowait(CUT_OFF)

    def end_streams(self) -> None:
        """Tell every open stream to finish now (the server is stopping)."""
        for subs in list(self._subscribers.values()):
            for sub in list(subs):
                sub.queue.put_nowait(CUT_OFF)

    # --- producers (any thread) ---

    def publish(self, events: Sequence[PendingEvent]) -> None:
        """Hand over committed events from a writing thread."""
        for event in events:
            self.notify(event.branch_id, event.seq, event.data)

    def notify(self, branch_id: int, seq: int, data: dict[str, Any] | None) -> None:
        """An event is committed; ``data`` may be ``None`` to have it read from the journal."""
        loop, incoming = self._loop, self._incoming
        if loop is None or incoming is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(incoming.put_nowait, (branch_id, seq, data))

    def resync(self) -> None:
        """After a lost LISTEN connection: fetch whatever was committed meanwhile."""
        self.notify(_ALL_BRANCHES, -1, None)

    # --- subscribers (on the event loop) ---

    def subscribe(
        self,
        branch_id: int,
        user_id: int | None = None,
        token_digest: str | None = None,
        device_id: int | None = None,
    ) -> Subscriber:
        sub = Subscriber(branch_id, user_id, token_digest, device_id)
        self._subscribers.setdefault(branch_id, set()).add(sub)
        return sub

    def end_streams_of(
        self,
        *,
        user_id: int | None = None,
        token_digest: str | None = None,
        keep_digest: str | None = None,
        device_id: int | None = None,
    ) -> None:
        """End the streams of a user (disabled, password reset), of a device (revoked, given
        a new token) or of one token (logged out), except those opened with ``keep_digest``.
        Any thread: the work is done on the loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(
            self._end_streams_now, user_id, token_digest, keep_digest, device_id
        )

    def _end_streams_now(
        self,
        user_id: int | None,
        token_digest: str | None,
        keep_digest: str | None,
        device_id: int | None = None,
    ) -> None:
        for subs in list(self._subscribers.values()):
            for sub in list(subs):
                mine = (
                    (user_id is not None and sub.user_id == user_id)
                    or (token_digest is not None and sub.token_digest == token_digest)
                    or (device_id is not None and sub.device_id == device_id)
                )
                if mine and (keep_digest is None or sub.token_digest != keep_digest):
                    sub.cut_off = True
                    self.unsubscribe(sub)
                    sub.queue.put_nowait(CUT_OFF)

    def unsubscribe(self, sub: Subscriber) -> None:
        subs = self._subscribers.get(sub.branch_id)
        if subs is not None:
            subs.discard(sub)

    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    # --- the loops ---

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_seconds)
            for subs in list(self._subscribers.values()):
                for sub in list(subs):
                    sub.queue.put_nowait(HEARTBEAT)

    async def _run(self) -> None:
        assert self._incoming is not None
        while True:
            branch_id, seq, data = await self._incoming.get()
            branches = [branch_id]
            if branch_id == _ALL_BRANCHES:
                branches = sorted(set(self._last) | set(self._subscribers))
            try:
                for branch in branches:
                    await self._handle(branch, seq, data)
            except Exception:  # a failed journal read must not stop delivery for good
                log.exception("event delivery failed for branch %s seq %s", branch_id, seq)

    async def _handle(self, branch_id: int, seq: int, data: dict[str, Any] | None) -> None:
        if seq < 0:  # resync request
            seq = await asyncio.to_thread(self._read_last_seq, branch_id)
            data = None
        last = self._last.get(branch_id)
        if last is None:
            # Nothing delivered for this branch yet: subscribers replayed the journal themselves.
            last = (
                seq - 1
                if data is not None
                else await asyncio.to_thread(self._read_last_seq, branch_id) - 1
            )
            self._last[branch_id] = last
        if seq <= last:
            return
        if seq > last + 1 or data is None:
            for missing in await asyncio.to_thread(self._read_gap, branch_id, last, seq):
                self._deliver(branch_id, missing)
            return
        self._deliver(branch_id, data)

    def _deliver(self, branch_id: int, event: dict[str, Any]) -> None:
        seq = int(event["seq"])
        if seq <= self._last.get(branch_id, 0):
            return
        self._last[branch_id] = seq
        frame = (seq, encode(event))
        for sub in list(self._subscribers.get(branch_id, ())):
            if sub.queue.qsize() >= QUEUE_LIMIT:
                sub.cut_off = True
                self.unsubscribe(sub)
                sub.queue.put_nowait(CUT_OFF)
                continue
            sub.queue.put_nowait(frame)
