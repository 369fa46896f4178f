"""Bearer token → actor, with a short in-process cache so a busy counter does not hit the
database for its token on every click. A revoked token stops working on the process that
revoked it at once, on other processes within ``TTL_SECONDS``."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from counter_app.core.actor import Actor
from counter_app.store.auth import resolve, token_digest
from counter_app.store.db import Database

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000


class TokenCache:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._entries: dict[str, tuple[float, Actor, datetime | None]] = {}
        self._lock = threading.Lock()

    def cached(self, token: str, now: datetime) -> Actor | None:
        """The actor if the cache knows it (no database): ``None`` means "ask ``actor_for``"."""
        with self._lock:
            hit = self._entries.get(token_digest(token))
        fresh = hit is not None and time.monotonic() - hit[0] < TTL_SECONDS
        if hit is not None and fresh and (hit[2] is None or hit[2] > now):
            return hit[1]
        return None

    def actor_for(self, token: str, now: datetime) -> Actor | None:
        found_in_cache = self.cached(token, now)
        if found_in_cache is not None:
            return found_in_cache
        digest = token_digest(token)
        mono = time.monotonic()
        with self._db.read() as session:
            found = resolve(session, token, now)
        with self._lock:
            if found is None:
                self._entries.pop(digest, None)
                return None
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (mono, found[0], found[1])
        return found[0]

    def forget(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token_digest(token), None)

    def forget_user(self, user_id: int, keep_digest: str | None = None) -> None:
        """Drop a user's tokens (disabled, password set) but ``keep_digest``'s."""
        with self._lock:
            for digest in [
                d
                for d, (_at, actor, _exp) in self._entries.items()
                if actor.user_id == user_id and d != keep_digest
            ]:
                del self._entries[digest]

    def forget_device(self, device_id: int) -> None:
        """Drop a device's tokens (revoked, given a new one)."""
        with self._lock:
            for digest in [
                d for d, (_at, actor, _exp) in self._entries.items() if actor.device_id == device_id
            ]:
                del self._entries[digest]

    def forget_digests(self, digests: list[str]) -> None:
        """Drop the tokens with these digests (revoked by digest)."""
        with self._lock:
            for digest in digests:
                self._entries.pop(digest, None)
