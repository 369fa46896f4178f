"""Public ticket status streams, shared: one watcher per service computes the statuses once
per burst of events and hands them to every stream that shows them.

A public status page is anonymous and cheap to open, so its cost must not grow with the
number of open pages: 300 pages on one code used to mean 300 database reads for every event
of the branch. Here a service with open streams has one :class:`ServiceWatch`: it subscribes
to the branch's events and, when a burst can change a status of that service, waits a moment
(``SETTLE_SECONDS``) for the rest of the burst, reads the statuses of the distinct codes
watched there in one read session, and sends each changed one, encoded once, to that code's
streams. The cost per burst is one read for each
watched code, whatever the number of subscribers.

Streams are also capped per client address and in all (settings ``public_streams_*``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson
from starlette.concurrency import run_in_threadpool

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.tickets import TicketStatus
from counter_app.server.broker import CUT_OFF, HEARTBEAT, Broker, Subscriber

log = logging.getLogger(__name__)

# What a stream receives: a changed status with its SSE frame (encoded once for all the
# streams of the code), a heartbeat, or the end.
BEAT = "beat"
END = "end"
Update = tuple[TicketStatus, bytes]
Item = Update | str
# A stream this far behind is ended (its client reconnects and reads afresh).
LISTENER_LIMIT = 100
# After an event that changes a status, wait this long for the rest of its burst: many
# counters calling at once then cost one read and one frame per stream, not one each.
SETTLE_SECONDS = 0.25
StatusReader = Callable[[list[str]], dict[str, TicketStatus]]


@dataclass(eq=False)
class Listener:
    code: str
    address: str
    queue: asyncio.Queue[Item] = field(default_factory=asyncio.Queue)

    ended: bool = False

    def put(self, item: Item) -> None:
        if self.ended:
            return
        if self.queue.qsize() >= LISTENER_LIMIT:
            self.ended = True  # far behind: end it; its client reconnects and reads afresh
            item = END
        self.queue.put_nowait(item)


def status_frame(status: TicketStatus) -> bytes:
    return b"event: status\ndata: %s\n\n" % status.model_dump_json().encode()


def concerns(frame: bytes, service_id: int, codes: set[str]) -> bool:
    """Could this journal event change the status of a ticket of ``service_id`` or of one of
    ``codes``?"""
    for line in frame.split(b"\n"):
        if line.startswith(b"data: "):
            event = orjson.loads(line[6:])
            if event.get("kind") == EventKind.COUNTER_STATE.value:
                return True  # an opened or closed counter moves the estimate
            ticket = event.get("ticket") or {}
            return bool(ticket.get("service_id") == service_id or ticket.get("code") in codes)
    return False


class ServiceWatch:
    """The shared watcher of one service's public statuses."""

    def __init__(self, broker: Broker, branch_id: int, service_id: int, read: StatusReader) -> None:
        self.service_id = service_id
        self.listeners: dict[str, set[Listener]] = {}
        self.last: dict[str, TicketStatus] = {}
        self._read = read
        self._broker = broker
        self._subscriber: Subscriber = broker.subscribe(branch_id)
        self._task = asyncio.create_task(self._run(), name=f"public-status-{service_id}")
        self.reads = 0  # status reads made (for tests and the benchmark)

    def add(self, listener: Listener) -> None:
        self.listeners.setdefault(listener.code, set()).add(listener)

    def discard(self, listener: Listener) -> None:
        group = self.listeners.get(listener.code)
        if group is not None:
            group.discard(listener)
            if not group:
                del self.listeners[listener.code]
                self.last.pop(listener.code, None)

    def close(self) -> None:
        self._broker.unsubscribe(self._subscriber)
        self._task.cancel()

    def _broadcast(self, item: Item) -> None:
        for group in self.listeners.values():
            for listener in group:
                listener.put(item)

    async def _run(self) -> None:
        queue = self._subscriber.queue
        try:
            while True:
                seq, frame = await queue.get()
                relevant = False
                ended = False
                settled = False
                while True:  # a burst: look at all of it, then read once
                    if seq == CUT_OFF[0]:
                        ended = True
                        break
                    if seq == HEARTBEAT[0]:
                        self._broadcast(BEAT)
                    else:
                        relevant = relevant or concerns(frame, self.service_id, set(self.listeners))
                    if queue.empty() and relevant and not settled:
                        # Let the burst finish: a status page needs no update more often.
                        settled = True
                        await asyncio.sleep(SETTLE_SECONDS)
                    if queue.empty():
                        break
                    seq, frame = queue.get_nowait()
                if ended:
                    self._broadcast(END)
                    return
                if relevant and self.listeners:
                    await self._refresh()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("public status watch of service %s failed", self.service_id)
            self._broadcast(END)

    async def _refresh(self) -> None:
        codes = sorted(self.listeners)
        self.reads += 1
        fresh = await run_in_threadpool(self._read, codes)
        for code, status in fresh.items():
            if self.last.get(code) == status:
                continue
            self.last[code] = status
            update = (status, status_frame(status))
            for listener in list(self.listeners.get(code, ())):
                listener.put(update)


class StatusBoard:
    """All shared watches of this process, and the caps on open streams."""

    def __init__(self, broker: Broker, read: StatusReader, per_address: int, total: int) -> None:
        self._broker = broker
        self._read = read
        self.per_address = per_address
        self.total = total
        self.watches: dict[int, ServiceWatch] = {}
        self._by_address: dict[str, int] = {}
        self.open = 0

    def check(self, address: str) -> None:
        """Refuse a new stream over a cap (before its answer starts)."""
        if self.open >= self.total:
            raise AppError(ErrorCode.STREAMS_FULL, "Too many live status streams; try later.")
        if self._by_address.get(address, 0) >= self.per_address:
            raise AppError(
                ErrorCode.TOO_MANY_STREAMS, "Too many live status streams from this address."
            )

    def join(self, branch_id: int, service_id: int, code: str, address: str) -> Listener:
        """Register a stream (on the event loop, once its answer runs: a stream whose answer
        never starts holds no place)."""
        watch = self.watches.get(service_id)
        if watch is None:
            watch = ServiceWatch(self._broker, branch_id, service_id, self._read)
            self.watches[service_id] = watch
        listener = Listener(code, address)
        watch.add(listener)
        self.open += 1
        self._by_address[address] = self._by_address.get(address, 0) + 1
        return listener

    def leave(self, service_id: int, listener: Listener) -> None:
        self.open -= 1
        left = self._by_address.get(listener.address, 1) - 1
        if left:
            self._by_address[listener.address] = left
        else:
            self._by_address.pop(listener.address, None)
        watch = self.watches.get(service_id)
        if watch is None:
            return
        watch.discard(listener)
        if not watch.listeners:
            del self.watches[service_id]
            watch.close()

    async def close(self) -> None:
        for watch in list(self.watches.values()):
            watch.close()
            with contextlib.suppress(asyncio.CancelledError):
                await watch._task
        self.watches.clear()
