"""The broker delivers each branch's events once, in sequence order, whatever order they come in.

The journal here is a list with the same read contract as store.journal (events after N, up to
M), so the ordering logic is tested on its own; the integration and e2e tests run it against
real databases.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from counter_app.server import broker as broker_module
from counter_app.server.broker import CUT_OFF, Broker


def event(seq: int, branch: int = 1) -> dict[str, Any]:
    return {"seq": seq, "kind": "ticket.issued", "branch_id": branch}


class Journal:
    def __init__(self) -> None:
        self.events: dict[int, list[dict[str, Any]]] = {}
        self.reads = 0

    def commit(self, seq: int, branch: int = 1) -> dict[str, Any]:
        e = event(seq, branch)
        self.events.setdefault(branch, []).append(e)
        return e

    def read_gap(self, branch: int, after: int, up_to: int) -> Sequence[dict[str, Any]]:
        self.reads += 1
        return [e for e in self.events.get(branch, []) if after < e["seq"] <= up_to]

    def last_seq(self, branch: int) -> int:
        return max((e["seq"] for e in self.events.get(branch, [])), default=0)


async def drain(queue: asyncio.Queue[tuple[int, bytes]], count: int) -> list[int]:
    got = []
    for _ in range(count):
        seq, _frame = await asyncio.wait_for(queue.get(), 2)
        got.append(seq)
    return got


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_in_order_events_are_delivered_once_each() -> None:
    async def scenario() -> list[int]:
        journal = Journal()
        broker = Broker(journal.read_gap, journal.last_seq)
        await broker.start()
        sub = broker.subscribe(1)
        for seq in (1, 2, 3):
            broker.notify(1, seq, journal.commit(seq))
        broker.notify(1, 2, event(2))  # a duplicate (e.g. local publish and LISTEN)
        got = await drain(sub.queue, 3)
        await asyncio.sleep(0.05)
        assert sub.queue.empty()
        await broker.stop()
        return got

    assert run(scenario()) == [1, 2, 3]


def test_a_skipped_event_is_read_from_the_journal_first() -> None:
    async def scenario() -> tuple[list[int], int]:
        journal = Journal()
        broker = Broker(journal.read_gap, journal.last_seq)
        await broker.start()
        sub = broker.subscribe(1)
        broker.notify(1, 1, journal.commit(1))
        journal.commit(2)  # committed, but its notification is lost
        journal.commit(3)
        broker.notify(1, 4, journal.commit(4))
        got = await drain(sub.queue, 4)
        await broker.stop()
        return got, journal.reads

    got, reads = run(scenario())
    assert got == [1, 2, 3, 4]
    assert reads == 1


def test_out_of_order_arrival_delivers_in_sequence() -> None:
    async def scenario() -> list[int]:
        journal = Journal()
        broker = Broker(journal.read_gap, journal.last_seq)
        await broker.start()
        sub = broker.subscribe(1)
        broker.notify(1, 1, journal.commit(1))
        e2, e3 = journal.commit(2), journal.commit(3)
        broker.notify(1, 3, e3)  # 3's thread won the race to the broker
        broker.notify(1, 2, e2)
        got = await drain(sub.queue, 2 + 1)
        await asyncio.sleep(0.05)
        assert sub.queue.empty()
        await broker.stop()
        return got

    assert run(scenario()) == [1, 2, 3]


def test_branches_are_independent() -> None:
    async def scenario() -> tuple[list[int], list[int]]:
        journal = Journal()
        broker = Broker(journal.read_gap, journal.last_seq)
        await broker.start()
        one, two = broker.subscribe(1), broker.subscribe(2)
        broker.notify(1, 1, journal.commit(1, branch=1))
        broker.notify(2, 1, journal.commit(1, branch=2))
        broker.notify(2, 2, journal.commit(2, branch=2))
        got = await drain(one.queue, 1), await drain(two.queue, 2)
        await broker.stop()
        return got

    assert run(scenario()) == ([1], [1, 2])


def test_resync_fetches_what_was_committed_while_deaf() -> None:
    async def scenario() -> list[int]:
        journal = Journal()
        broker = Broker(journal.read_gap, journal.last_seq)
        await broker.start()
        sub = broker.subscribe(1)
        broker.notify(1, 1, journal.commit(1))
        journal.commit(2)
        journal.commit(3)
        broker.resync()  # e.g. the LISTEN connection came back
        got = await drain(sub.queue, 3)
        await broker.stop()
        return got

    assert run(scenario()) == [1, 2, 3]


def test_a_subscriber_too_far_behind_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broker_module, "QUEUE_LIMIT", 3)

    async def scenario() -> tuple[list[tuple[int, bytes]], bool, int]:
        journal = Journal()
        broker = Broker(journal.read_gap, journal.last_seq)
        await broker.start()
        slow = broker.subscribe(1)
        for seq in range(1, 6):
            broker.notify(1, seq, journal.commit(seq))
        await asyncio.sleep(0.05)
        frames = [slow.queue.get_nowait() for _ in range(slow.queue.qsize())]
        await broker.stop()
        return frames, slow.cut_off, broker.subscriber_count()

    frames, cut_off, remaining = run(scenario())
    assert [seq for seq, _ in frames] == [1, 2, 3, CUT_OFF[0]]
    assert cut_off is True
    assert remaining == 0


def test_frames_are_server_sent_events() -> None:
    frame = broker_module.encode({"seq": 7, "kind": "ticket.called", "x": "é"})
    data = '{"seq":7,"kind":"ticket.called","x":"é"}'
    assert frame == f"id: 7\nevent: ticket.called\ndata: {data}\n\n".encode()
