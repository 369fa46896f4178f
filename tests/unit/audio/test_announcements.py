"""Announcement order: one at a time, in arrival order, duplicates once, recalls again."""

from __future__ import annotations

import pytest

from counter_app.audio.announcements import Announcement, AnnouncementQueue


def call(ticket: int, count: int = 1) -> Announcement:
    return Announcement(ticket, count, f"ticket {ticket} call {count}")


def say_all(queue: AnnouncementQueue) -> list[str]:
    said = []
    while (item := queue.next()) is not None:
        assert queue.next() is None  # never two at once
        said.append(item.text)
        queue.finished()
    return said


def test_in_arrival_order_one_at_a_time() -> None:
    queue = AnnouncementQueue()
    for ticket in (1, 2, 3):
        assert queue.offer(call(ticket))
    assert say_all(queue) == ["ticket 1 call 1", "ticket 2 call 1", "ticket 3 call 1"]
    assert not queue.busy and len(queue) == 0


def test_the_same_call_twice_is_said_once_but_a_recall_again() -> None:
    queue = AnnouncementQueue()
    assert queue.offer(call(7))
    assert not queue.offer(call(7))  # the event arrived twice
    assert say_all(queue) == ["ticket 7 call 1"]
    assert not queue.offer(call(7))  # even after it was said
    assert queue.offer(call(7, count=2))  # the officer pressed recall
    assert say_all(queue) == ["ticket 7 call 2"]


def test_calls_arriving_while_speaking_wait_their_turn() -> None:
    queue = AnnouncementQueue()
    queue.offer(call(1))
    current = queue.next()
    assert current is not None and current.ticket_id == 1
    queue.offer(call(2))
    assert queue.next() is None
    queue.finished()
    assert say_all(queue) == ["ticket 2 call 1"]


def test_repeat_count() -> None:
    queue = AnnouncementQueue(repeat=2)
    queue.offer(call(1))
    queue.offer(call(2))
    assert say_all(queue) == [
        "ticket 1 call 1",
        "ticket 1 call 1",
        "ticket 2 call 1",
        "ticket 2 call 1",
    ]


def test_repeat_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AnnouncementQueue(repeat=0)
