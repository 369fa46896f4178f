"""Which services a kiosk offers now, and why the others are not: from the live board.

A service takes tickets when it is active, at least one open counter serves it, and its daily
quota (if any) is not used up. A counter on a break still counts as open for this: the break
ends and the queue goes on. Qt-free, so it is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from counter_app.client.board import BranchBoard
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.office import ServiceOut


class Unavailable(StrEnum):
    INACTIVE = "inactive"
    NO_OPEN_COUNTER = "no_open_counter"
    QUOTA_USED_UP = "quota_used_up"


@dataclass(frozen=True)
class Offer:
    service: ServiceOut
    reason: Unavailable | None  # None: tickets can be taken
    waiting: int
    quota_left: int | None

    @property
    def available(self) -> bool:
        return self.reason is None


def offers(board: BranchBoard) -> list[Offer]:
    """Every service of the branch in display order, each with its availability."""
    staffed = {
        service_id
        for counter in board.counters.values()
        if counter.state in (CounterState.OPEN, CounterState.BREAK)
        for service_id in counter.service_ids
    }
    out: list[Offer] = []
    for service in sorted(board.services.values(), key=lambda s: (s.position, s.prefix)):
        issued = board.issued_today.get(service.id, 0)
        left = None if service.daily_quota is None else max(0, service.daily_quota - issued)
        reason: Unavailable | None = None
        if not service.active:
            reason = Unavailable.INACTIVE
        elif left == 0:
            reason = Unavailable.QUOTA_USED_UP
        elif service.id not in staffed:
            reason = Unavailable.NO_OPEN_COUNTER
        out.append(Offer(service, reason, board.waiting_count(service.id), left))
    return out
