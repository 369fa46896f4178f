"""A small time-limited cache for reference data read on every request.

Counters' service lists, officers' names and the inputs of waiting-time estimates change
rarely, yet a naive request reads them each time. Each process keeps them for a few seconds:
an estimate or a name a few seconds old is harmless, and several processes need no
coordination. Anything that must be exact (ticket states, who holds a counter) is never cached.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, seconds: float, max_entries: int = 10_000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], V]) -> V:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (now + self.seconds, value)
        return value

    def forget(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Caches of the office's set-up (services, branches, holidays): every SETUP_CHANGED event this
# process commits clears them (``Database.after_commit``); other processes see a change within
# their time limit.
SETUP_CACHES: list[TtlCache[Any, Any]] = []


def setup_cache(seconds: float) -> TtlCache[Any, Any]:
    cache: TtlCache[Any, Any] = TtlCache(seconds)
    SETUP_CACHES.append(cache)
    return cache


def setup_changed() -> None:
    for cache in SETUP_CACHES:
        cache.clear()


_ENGINE_KEYS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def database_key(session: Session) -> str:
    """Caches are per database: one process may serve several (tests do). The URL is
    rendered once per engine: rendering it cost more than the cache lookups it keys."""
    engine = session.get_bind().engine
    key = _ENGINE_KEYS.get(engine)
    if key is None:
        key = _ENGINE_KEYS[engine] = str(engine.url)
    return key
