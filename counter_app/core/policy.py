"""Call order: which waiting ticket a counter gets when its officer presses "call next".

A pure function of (counter, waiting tickets, the counter's recent calls, settings, now), so it
can be property-tested and reasoned about apart from the database. The order is:

1. tickets transferred *to this counter* (oldest transfer first);
2. tickets a supervisor moved to the front of their service's queue (the latest move first:
   "to the front" means before everyone, including those moved earlier);
3. checked-in appointments that are due (their slot starts within ``appointment_early``);
4. everything else, with priority classes (lansia, disabilitas, ibu hamil, anak …) interleaved
   with regular tickets by runs: while both kinds wait, at most ``priority_run`` priority calls
   in a row, then at most ``regular_run`` regular calls in a row, and so on. Neither kind can
   starve the other;
5. within a kind, across the counter's services, by the branch's multi-service rule:
   ``longest_wait`` (earliest arrival first) or ``service_order`` (the counter's first service
   that has anyone waiting), then by arrival.

Arrival is ``issued_at``, which a transferred ticket keeps from its first queue: the citizen has
already waited once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class MultiServiceRule(StrEnum):
    LONGEST_WAIT = "longest_wait"
    SERVICE_ORDER = "service_order"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A waiting ticket as the policy sees it."""

    ticket_id: int
    service_id: int
    issued_at: datetime
    enqueued_at: datetime
    priority: bool = False
    target_counter_id: int | None = None
    appointment_at: datetime | None = None
    front_at: datetime | None = None  # when a supervisor moved it to the front, if ever


@dataclass(frozen=True, slots=True)
class CounterView:
    counter_id: int
    service_ids: tuple[int, ...]  # in the counter's own order


@dataclass(frozen=True, slots=True)
class PolicySettings:
    priority_run: int = 2
    regular_run: int = 3
    multi_service_rule: MultiServiceRule = MultiServiceRule.LONGEST_WAIT
    appointment_early: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.priority_run < 1 or self.regular_run < 1:
            raise ValueError("runs must be at least 1")


@dataclass(frozen=True, slots=True)
class CallHistory:
    """The tail of this counter's interleaved calls: which kind, and how many in a row."""

    last_priority: bool | None = None
    run: int = 0

    def after(self, picked_priority: bool) -> CallHistory:
        if self.last_priority is picked_priority:
            return CallHistory(picked_priority, self.run + 1)
        return CallHistory(picked_priority, 1)


@dataclass(frozen=True, slots=True)
class Choice:
    ticket: Candidate
    reason: str  # "transfer", "appointment", "priority", "regular"
    history: CallHistory  # the counter's history after this call


def is_eligible(ticket: Candidate, counter: CounterView) -> bool:
    if ticket.target_counter_id is not None:
        return ticket.target_counter_id == counter.counter_id
    return ticket.service_id in counter.service_ids


def is_moved_to_front(ticket: Candidate) -> bool:
    return ticket.front_at is not None and ticket.target_counter_id is None


def is_due_appointment(ticket: Candidate, now: datetime, settings: PolicySettings) -> bool:
    return (
        ticket.appointment_at is not None
        and ticket.target_counter_id is None
        and not is_moved_to_front(ticket)
        and ticket.appointment_at - settings.appointment_early <= now
    )


def _front_key(ticket: Candidate) -> tuple[float, int]:
    # The latest move first; equal moments by ticket id (the older ticket).
    assert ticket.front_at is not None
    return (-ticket.front_at.timestamp(), ticket.ticket_id)


def listing_key(
    front_at: datetime | None, issued_at: datetime, ticket_id: int
) -> tuple[int, float, int]:
    """The order a service's waiting list is shown in: tickets moved to the front first (the
    latest move first, as they will be called), then by arrival."""
    if front_at is not None:
        return (0, -front_at.timestamp(), ticket_id)
    return (1, issued_at.timestamp(), ticket_id)


def _arrival_key(ticket: Candidate) -> tuple[datetime, int]:
    return (ticket.issued_at, ticket.ticket_id)


def _pick_within_kind(
    tickets: Sequence[Candidate], counter: CounterView, rule: MultiServiceRule
) -> Candidate:
    if rule is MultiServiceRule.SERVICE_ORDER:
        rank = {service_id: i for i, service_id in enumerate(counter.service_ids)}
        return min(tickets, key=lambda t: (rank[t.service_id], *_arrival_key(t)))
    return min(tickets, key=_arrival_key)


def choose_priority_kind(history: CallHistory, settings: PolicySettings) -> bool:
    """With both kinds waiting: is it priority's turn?"""
    if history.last_priority is None:
        return True
    if history.last_priority:
        return history.run < settings.priority_run
    return history.run >= settings.regular_run


def choose_next(
    counter: CounterView,
    waiting: Iterable[Candidate],
    history: CallHistory,
    settings: PolicySettings,
    now: datetime,
) -> Choice | None:
    """The ticket this counter should call now, or ``None`` if nobody it serves is waiting."""
    eligible = [t for t in waiting if is_eligible(t, counter)]
    if not eligible:
        return None

    transfers = [t for t in eligible if t.target_counter_id is not None]
    if transfers:
        pick = min(transfers, key=lambda t: (t.enqueued_at, t.ticket_id))
        return Choice(pick, "transfer", history)

    front = [t for t in eligible if is_moved_to_front(t)]
    if front:
        return Choice(min(front, key=_front_key), "front", history)

    due = [t for t in eligible if is_due_appointment(t, now, settings)]
    if due:
        pick = min(due, key=lambda t: (t.appointment_at or now, *_arrival_key(t)))
        return Choice(pick, "appointment", history)

    priority = [t for t in eligible if t.priority]
    regular = [t for t in eligible if not t.priority]
    if priority and regular:
        use_priority = choose_priority_kind(history, settings)
    else:
        use_priority = bool(priority)
    pool = priority if use_priority else regular
    pick = _pick_within_kind(pool, counter, settings.multi_service_rule)
    return Choice(pick, "priority" if use_priority else "regular", history.after(use_priority))


def queue_heads(
    counter: CounterView,
    waiting: Iterable[Candidate],
    settings: PolicySettings,
    now: datetime,
) -> list[Candidate]:
    """The few tickets ``choose_next`` can ever pick, whatever the history.

    The store fetches only these (one per service and kind, plus the first transfer, the
    latest ticket moved to the front and the first due appointment) instead of the whole
    queue; a property test checks that
    ``choose_next`` over the heads equals ``choose_next`` over everything.
    """
    eligible = [t for t in waiting if is_eligible(t, counter)]
    heads: list[Candidate] = []
    transfers = [t for t in eligible if t.target_counter_id is not None]
    if transfers:
        heads.append(min(transfers, key=lambda t: (t.enqueued_at, t.ticket_id)))
    front = [t for t in eligible if is_moved_to_front(t)]
    if front:
        heads.append(min(front, key=_front_key))
    due = [t for t in eligible if is_due_appointment(t, now, settings)]
    if due:
        heads.append(min(due, key=lambda t: (t.appointment_at or now, *_arrival_key(t))))
    best: dict[tuple[int, bool], Candidate] = {}
    for t in eligible:
        if (
            t.target_counter_id is not None
            or is_moved_to_front(t)
            or is_due_appointment(t, now, settings)
        ):
            continue
        key = (t.service_id, t.priority)
        if key not in best or _arrival_key(t) < _arrival_key(best[key]):
            best[key] = t
    heads.extend(best.values())
    return heads
