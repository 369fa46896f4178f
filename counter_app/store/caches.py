"""The store's short-lived caches, owned by one ``Database``.

Counters' service lists, officers' names, a branch's call settings and the inputs of
waiting-time estimates change rarely, yet a naive request reads them each time. Each process
keeps them for a few seconds: an estimate or a name a few seconds old is harmless, and several
processes need no coordination. Anything that must be exact (ticket states, who holds a
counter) is never cached.

The caches belong to the ``Database`` (``Database.caches``), so two databases in one process
(tests, the CLI beside a server) never see each other's entries, and keys need not name the
database. The database's sessions carry them (``caches_of(session)``), so store functions
that take a session reach them without another argument. A set-up change this process
commits clears the set-up caches (``Database.after_commit``); other processes see it within
their time limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cachetools import TTLCache
from sqlalchemy.orm import Session

from counter_app.core.forward_estimate import ServiceTime

if TYPE_CHECKING:
    from counter_app.store.booking.bookable import BookableService
    from counter_app.store.rows import BranchRow

K = TypeVar("K")
V = TypeVar("V")

MAX_ENTRIES = 10_000
SESSION_KEY = "store.caches"


class TimedCache(Generic[K, V]):
    """A ``cachetools.TTLCache`` behind a lock (threads and the event loop both read it),
    with ``get(key, load)``: the loader runs outside the lock, so a slow read blocks no one."""

    __slots__ = ("_entries", "_lock")

    def __init__(
        self,
        seconds: float,
        max_entries: int = MAX_ENTRIES,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: TTLCache[K, V] = TTLCache(max_entries, seconds, timer=timer)
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], V]) -> V:
        # ``entries[key]``, not ``entries.get``: the latter looks the key up twice and cost
        # four times as much (2 µs against 0.5 µs a hit; several hits per request).
        with self._lock:
            try:
                return self._entries[key]
            except KeyError:
                pass
        value = load()
        with self._lock:
            self._entries[key] = value
        return value

    def forget(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            self._entries.expire()
            return len(self._entries)


class StoreCaches:
    """Every cache of one database. The set-up caches hold the office's set-up (branches,
    services, holidays, counters' services) and are cleared by ``setup_changed``."""

    def __init__(self) -> None:
        # set-up
        self.branches: TimedCache[int, BranchRow | None] = TimedCache(5.0)
        self.service_names: TimedCache[int, str] = TimedCache(5.0)
        self.bookable: TimedCache[int, BookableService | None] = TimedCache(5.0)
        self.counter_services: TimedCache[int, tuple[int, ...]] = TimedCache(5.0)
        # not set-up: names change rarely, estimates are estimates
        self.officer_names: TimedCache[int, str] = TimedCache(30.0)
        self.typical_seconds: TimedCache[int, float] = TimedCache(5.0)
        self.service_times: TimedCache[int, ServiceTime] = TimedCache(5.0)
        self.priority_rates: TimedCache[int, dict[int, float]] = TimedCache(5.0)
        self.capacity: TimedCache[int, float] = TimedCache(2.0)

    def setup_caches(self) -> tuple[TimedCache[Any, Any], ...]:
        return (self.branches, self.service_names, self.bookable, self.counter_services)

    def setup_changed(self) -> None:
        """A set-up change committed: forget the set-up read before it."""
        for cache in self.setup_caches():
            cache.clear()


def caches_of(session: Session) -> StoreCaches:
    """The caches of the database this session belongs to (``Database`` puts them there)."""
    try:
        found: StoreCaches = session.info[SESSION_KEY]
    except KeyError:
        raise RuntimeError(
            "this session does not come from a Database (Database.read/write): "
            "it carries no store caches"
        ) from None
    return found
