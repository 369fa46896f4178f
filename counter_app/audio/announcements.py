"""The order of announcements in the hall: one at a time, none lost, none twice.

Qt-free: the player asks for the next announcement when the previous one has finished. A call
is identified by (ticket, how many times it has been called), so an event that arrives twice
(a reconnect replay, two stations) is spoken once, while a recall — one more call of the same
ticket — is spoken again. Each announcement is said ``repeat`` times in a row.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

REMEMBERED = 1_000


@dataclass(frozen=True, slots=True)
class Announcement:
    ticket_id: int
    call_count: int
    text: str

    @property
    def key(self) -> tuple[int, int]:
        return (self.ticket_id, self.call_count)


class AnnouncementQueue:
    def __init__(self, repeat: int = 1) -> None:
        if repeat < 1:
            raise ValueError("repeat must be at least 1")
        self.repeat = repeat
        self._waiting: deque[Announcement] = deque()
        self._seen: set[tuple[int, int]] = set()
        self._seen_order: deque[tuple[int, int]] = deque()
        self._current: Announcement | None = None
        self._said = 0

    @property
    def busy(self) -> bool:
        return self._current is not None

    def __len__(self) -> int:
        return len(self._waiting)

    def offer(self, announcement: Announcement) -> bool:
        """Queue it, unless this very call was queued or said already."""
        if announcement.key in self._seen:
            return False
        self._seen.add(announcement.key)
        self._seen_order.append(announcement.key)
        if len(self._seen_order) > REMEMBERED:
            self._seen.discard(self._seen_order.popleft())
        self._waiting.append(announcement)
        return True

    def next(self) -> Announcement | None:
        """What to say now, or ``None`` while something is being said or nothing waits."""
        if self._current is not None or not self._waiting:
            return None
        self._current = self._waiting[0]
        return self._current

    def finished(self) -> None:
        """The current announcement has been said once."""
        if self._current is None:
            return
        self._said += 1
        if self._said >= self.repeat:
            self._waiting.popleft()
            self._said = 0
        self._current = None
