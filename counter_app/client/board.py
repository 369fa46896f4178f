"""The live state of one branch as a window sees it: a snapshot, then events applied in order.

Qt-free, so every window (counter, TV, supervisor) shares one tested model and only draws it.
``apply`` returns what changed, so a window repaints only the parts concerned; an event the
board cannot apply by itself (a set-up change) asks for a fresh snapshot instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from counter_app.core.estimates import estimate, service_capacity
from counter_app.core.policy import listing_key
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState, EventKind
from counter_app.schemas.office import BranchOut, CounterOut, ServiceOut
from counter_app.schemas.tickets import EventOut, QueueSnapshot, TicketOut

RECENT_CALLS = 10
RECENT_FAULTS = 20


class Change(StrEnum):
    QUEUE = "queue"  # waiting lists changed
    COUNTERS = "counters"  # a counter's state or its current ticket changed
    CALL = "call"  # a ticket was called or recalled: announce it
    DEVICES = "devices"  # a device reported a fault
    RESYNC = "resync"  # the board cannot follow this event; fetch a new snapshot


@dataclass
class BranchBoard:
    branch: BranchOut
    seq: int
    services: dict[int, ServiceOut]
    counters: dict[int, CounterOut]
    waiting: dict[int, TicketOut] = field(default_factory=dict)
    current: dict[int, TicketOut] = field(default_factory=dict)  # counter id -> open ticket
    recent_calls: deque[TicketOut] = field(default_factory=lambda: deque(maxlen=RECENT_CALLS))
    last_call: TicketOut | None = None
    device_faults: deque[EventOut] = field(default_factory=lambda: deque(maxlen=RECENT_FAULTS))
    issued_today: dict[int, int] = field(default_factory=dict)  # service id -> numbers given
    # Service id -> typical seconds per ticket, as the server estimated it at the snapshot;
    # with the live queue length and open counters it gives a current estimated wait.
    typical_seconds: dict[int, float] = field(default_factory=dict)
    # The server runs on a simulation clock: windows show a "SIMULASI" band.
    simulation: bool = False

    @classmethod
    def from_snapshot(cls, snapshot: QueueSnapshot) -> BranchBoard:
        board = cls(
            branch=snapshot.branch,
            seq=snapshot.seq,
            services={q.service.id: q.service for q in snapshot.services},
            counters={c.id: c for c in snapshot.counters},
            simulation=snapshot.simulation,
        )
        for queue in snapshot.services:
            board.issued_today[queue.service.id] = queue.issued_today
            board.typical_seconds[queue.service.id] = float(queue.service.default_service_seconds)
            capacity = board.capacity(queue.service.id)
            if queue.estimated_wait_seconds is not None and capacity > 0:
                # The server's estimate is (waiting + 1/2) x typical / capacity (core.estimates).
                board.typical_seconds[queue.service.id] = (
                    queue.estimated_wait_seconds * capacity / (queue.waiting_count + 0.5)
                )
            for ticket in queue.waiting:
                board.waiting[ticket.id] = ticket
        for ticket in snapshot.open_tickets:
            if ticket.counter_id is not None:
                board.current[ticket.counter_id] = ticket
        board.recent_calls.extend(snapshot.recent_calls)
        return board

    # --- reading ---

    def waiting_for_service(self, service_id: int) -> list[TicketOut]:
        return sorted(
            (
                t
                for t in self.waiting.values()
                if t.service_id == service_id and t.target_counter_id is None
            ),
            key=_listing_key,
        )

    def waiting_for_counter(self, counter_id: int) -> list[TicketOut]:
        """Everyone this counter may call: transfers addressed to it first, then its services."""
        counter = self.counters.get(counter_id)
        services = set(counter.service_ids) if counter else set()
        transfers = sorted(
            (t for t in self.waiting.values() if t.target_counter_id == counter_id),
            key=lambda t: (t.enqueued_at, t.id),
        )
        rest = sorted(
            (
                t
                for t in self.waiting.values()
                if t.target_counter_id is None and t.service_id in services
            ),
            key=_listing_key,
        )
        return transfers + rest

    def waiting_count(self, service_id: int) -> int:
        return sum(1 for t in self.waiting.values() if t.service_id == service_id)

    def capacity(self, service_id: int) -> float:
        """Open counters' worth of attention for the service (core.estimates)."""
        return service_capacity(
            len(c.service_ids)
            for c in self.counters.values()
            if c.state is CounterState.OPEN and service_id in c.service_ids
        )

    def estimated_wait(self, service_id: int) -> int | None:
        """Seconds a ticket taken now would wait; ``None`` while no counter serves it."""
        typical = self.typical_seconds.get(service_id)
        if typical is None:
            return None
        count = self.waiting_count(service_id)
        return estimate(count, typical, self.capacity(service_id)).wait_seconds

    def longest_wait(self, service_id: int, now: datetime) -> float | None:
        """Seconds the longest-waiting ticket of the service has waited since it arrived."""
        arrivals = [t.issued_at for t in self.waiting.values() if t.service_id == service_id]
        return (now - min(arrivals)).total_seconds() if arrivals else None

    def overdue(self, now: datetime) -> list[TicketOut]:
        """Waiting tickets past their service's target wait, the longest wait first."""
        late = []
        for ticket in self.waiting.values():
            service = self.services.get(ticket.service_id)
            if service and now - ticket.issued_at > timedelta(minutes=service.target_wait_minutes):
                late.append(ticket)
        return sorted(late, key=lambda t: (t.issued_at, t.id))

    def stuck_at_closed_counters(self, now: datetime) -> list[tuple[TicketOut, CounterOut]]:
        """Tickets transferred to a counter that is closed or on a break and waiting there
        longer than their service's target wait (counted from the transfer): nobody will
        call them until someone opens that counter or moves them. Longest first."""
        stuck = []
        for ticket in self.waiting.values():
            counter = self.counters.get(ticket.target_counter_id or 0)
            service = self.services.get(ticket.service_id)
            if counter is None or service is None or counter.state is CounterState.OPEN:
                continue
            if now - ticket.enqueued_at > timedelta(minutes=service.target_wait_minutes):
                stuck.append((ticket, counter))
        return sorted(stuck, key=lambda pair: (pair[0].enqueued_at, pair[0].id))

    # --- applying events ---

    def apply(self, event: EventOut) -> set[Change]:
        if event.seq <= self.seq:
            return set()
        if event.seq > self.seq + 1:
            # A gap: the stream resumes from the journal, so this should not happen; if it
            # does, trust nothing and reload.
            return {Change.RESYNC}
        self.seq = event.seq
        if event.counter is not None:
            self.counters[event.counter.id] = event.counter
        kind = event.kind
        if kind == EventKind.SETUP_CHANGED:
            what = event.data.get("what")
            if what == "running_text":
                self.branch = self.branch.model_copy(
                    update={"running_text": str(event.data.get("text", ""))}
                )
                return {Change.COUNTERS}
            return {Change.RESYNC}
        if kind == EventKind.COUNTER_STATE:
            return {Change.COUNTERS}
        if kind == EventKind.DEVICE_FAULT:
            self.device_faults.appendleft(event)
            return {Change.DEVICES}
        ticket = event.ticket
        if ticket is None:
            return set()
        changes = self.place(ticket)
        if kind == EventKind.TICKET_ISSUED:
            self.issued_today[ticket.service_id] = self.issued_today.get(ticket.service_id, 0) + 1
        if kind == EventKind.TICKET_TRANSFERRED:
            source = event.data.get("from_ticket")
            if isinstance(source, dict):
                changes |= self._remove(_ticket_id(source))
        if kind in (EventKind.TICKET_CALLED, EventKind.TICKET_RECALLED):
            self.last_call = ticket
            self.recent_calls.appendleft(ticket)
            changes.add(Change.CALL)
        return changes

    def remove(self, ticket_id: int) -> set[Change]:
        """Take a ticket off the board (e.g. the source of a transfer just made here)."""
        return self._remove(ticket_id)

    def _remove(self, ticket_id: int) -> set[Change]:
        changes: set[Change] = set()
        if self.waiting.pop(ticket_id, None) is not None:
            changes.add(Change.QUEUE)
        for counter_id, open_ticket in list(self.current.items()):
            if open_ticket.id == ticket_id:
                del self.current[counter_id]
                changes.add(Change.COUNTERS)
        return changes

    def place(self, ticket: TicketOut) -> set[Change]:
        """Put the ticket where its state says it belongs, and nowhere else."""
        changes = self._remove(ticket.id)
        # The recent calls keep each ticket's latest state (a no-show is shown as missed).
        for index, called in enumerate(self.recent_calls):
            if called.id == ticket.id:
                self.recent_calls[index] = ticket
        if ticket.state is TicketState.WAITING:
            self.waiting[ticket.id] = ticket
            changes.add(Change.QUEUE)
        elif ticket.state in (TicketState.CALLED, TicketState.SERVING) and ticket.counter_id:
            self.current[ticket.counter_id] = ticket
            changes.add(Change.COUNTERS)
        return changes


def _listing_key(ticket: TicketOut) -> tuple[int, float, int]:
    return listing_key(ticket.front_at, ticket.issued_at, ticket.id)


def _ticket_id(data: dict[str, Any]) -> int:
    return int(data["id"])
