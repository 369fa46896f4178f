"""Ticket states and the only moves allowed between them.

``waiting → called → serving → done``; ``called → no_show``; ``called → waiting`` (returned);
``no_show → called`` (called back within the service's ``no_show_recall_minutes``, or the
skip undone by its counter within :data:`UNDO_SKIP_SECONDS`);
``waiting|called|serving → transferred``; ``waiting → cancelled``; anything open at the end of
its service day → ``expired``. Any other move is a conflict with a clear message, never a
silent no-op.
"""

from __future__ import annotations

from enum import StrEnum

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Action(StrEnum):
    """What a person (or the day's end) does to a ticket; each is one journal event kind."""

    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    SKIP = "skip"
    RETURN = "return"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"
    CALL_BACK = "call_back"  # a no-show who came back, called again by number
    UNDO_SKIP = "undo_skip"  # the counter takes back a skip it just made


OPEN_STATES = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING})
FINAL_STATES = frozenset(set(TicketState) - OPEN_STATES)

# action -> (states it may start from, state it leads to)
_MOVES: dict[Action, tuple[frozenset[TicketState], TicketState]] = {
    Action.CALL: (frozenset({TicketState.WAITING}), TicketState.CALLED),
    Action.RECALL: (frozenset({TicketState.CALLED}), TicketState.CALLED),
    Action.START: (frozenset({TicketState.CALLED}), TicketState.SERVING),
    Action.FINISH: (frozenset({TicketState.SERVING, TicketState.CALLED}), TicketState.DONE),
    Action.SKIP: (frozenset({TicketState.CALLED}), TicketState.NO_SHOW),
    Action.RETURN: (frozenset({TicketState.CALLED}), TicketState.WAITING),
    Action.TRANSFER: (OPEN_STATES, TicketState.TRANSFERRED),
    Action.CANCEL: (frozenset({TicketState.WAITING}), TicketState.CANCELLED),
    Action.EXPIRE: (OPEN_STATES, TicketState.EXPIRED),
    Action.CALL_BACK: (frozenset({TicketState.NO_SHOW}), TicketState.CALLED),
    Action.UNDO_SKIP: (frozenset({TicketState.NO_SHOW}), TicketState.CALLED),
}

# How long after a skip its counter may undo it (the "Urungkan" banner).
UNDO_SKIP_SECONDS = 10

_VERBS: dict[Action, str] = {
    Action.CALL: "called",
    Action.RECALL: "recalled",
    Action.START: "started",
    Action.FINISH: "finished",
    Action.SKIP: "skipped",
    Action.RETURN: "returned to the queue",
    Action.TRANSFER: "transferred",
    Action.CANCEL: "cancelled",
    Action.EXPIRE: "expired",
    Action.CALL_BACK: "called back",
    Action.UNDO_SKIP: "un-skipped",
}


def allowed_from(action: Action) -> frozenset[TicketState]:
    return _MOVES[action][0]


def next_state(current: TicketState, action: Action, label: str = "The ticket") -> TicketState:
    """The state ``action`` leads to from ``current``, or a conflict error explaining why not."""
    sources, target = _MOVES[action]
    if current not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise conflict(
            ErrorCode.INVALID_TRANSITION,
            f"{label} is {current.value} and cannot be {_VERBS[action]} (only from: {allowed}).",
            state=current.value,
            action=action.value,
        )
    return target
