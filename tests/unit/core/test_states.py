"""Ticket lifecycle: every (state, action) pair against a hand-written table."""

from __future__ import annotations

import pytest

from counter_app.core.errors import AppError, ErrorKind
from counter_app.core.states import (
    FINAL_STATES,
    OPEN_STATES,
    Action,
    TicketState,
    allowed_from,
    next_state,
)

STATES = ("waiting", "called", "serving", "done", "no_show", "transferred", "cancelled", "expired")
ACTIONS = (
    "call",
    "recall",
    "start",
    "finish",
    "skip",
    "return",
    "transfer",
    "cancel",
    "expire",
    "call_back",
    "undo_skip",
)

# Every allowed move, written out by hand (not derived from the module): (state, action) ->
# target. Every one of the other 8 x 11 - 16 = 72 pairs must be refused.
# Note: called + finish -> done is allowed (an officer may call the next ticket without
# having pressed "start" for the current one).
MOVES: dict[tuple[str, str], str] = {
    ("waiting", "call"): "called",
    ("waiting", "transfer"): "transferred",
    ("waiting", "cancel"): "cancelled",
    ("waiting", "expire"): "expired",
    ("called", "recall"): "called",
    ("called", "start"): "serving",
    ("called", "finish"): "done",
    ("called", "skip"): "no_show",
    ("called", "return"): "waiting",
    ("called", "transfer"): "transferred",
    ("called", "expire"): "expired",
    ("serving", "finish"): "done",
    ("serving", "transfer"): "transferred",
    ("serving", "expire"): "expired",
    # A no-show is closed, but not for ever: called back by number (within the service's
    # window), or the skip undone by its counter within seconds.
    ("no_show", "call_back"): "called",
    ("no_show", "undo_skip"): "called",
}

ALLOWED = [(state, action, target) for (state, action), target in MOVES.items()]
REFUSED = [(s, a) for s in STATES for a in ACTIONS if (s, a) not in MOVES]


def test_table_covers_every_state_and_action() -> None:
    assert set(STATES) == {s.value for s in TicketState}
    assert set(ACTIONS) == {a.value for a in Action}
    assert len(ALLOWED) == 16
    assert len(REFUSED) == 8 * 11 - 16


@pytest.mark.parametrize(("state", "action", "target"), ALLOWED)
def test_allowed_move_reaches_documented_state(state: str, action: str, target: str) -> None:
    assert next_state(TicketState(state), Action(action)) is TicketState(target)


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_move_is_a_conflict_naming_the_state(state: str, action: str) -> None:
    with pytest.raises(AppError) as caught:
        next_state(TicketState(state), Action(action), "Ticket B-012")
    err = caught.value
    assert err.kind is ErrorKind.CONFLICT
    assert err.code == "invalid_transition"
    assert err.message.startswith(f"Ticket B-012 is {state} and cannot be ")
    assert err.details == {"state": state, "action": action}


def test_refusal_message_is_exact() -> None:
    with pytest.raises(AppError) as caught:
        next_state(TicketState.DONE, Action.FINISH)
    assert caught.value.message == (
        "The ticket is done and cannot be finished (only from: called, serving)."
    )
    assert str(caught.value) == caught.value.message


def test_refusal_message_for_return_lists_its_only_source() -> None:
    with pytest.raises(AppError) as caught:
        next_state(TicketState.WAITING, Action.RETURN, "Ticket A-001")
    assert caught.value.message == (
        "Ticket A-001 is waiting and cannot be returned to the queue (only from: called)."
    )


def test_open_and_final_states() -> None:
    assert {s.value for s in OPEN_STATES} == {"waiting", "called", "serving"}
    assert {s.value for s in FINAL_STATES} == {
        "done",
        "no_show",
        "transferred",
        "cancelled",
        "expired",
    }


def test_allowed_from() -> None:
    assert allowed_from(Action.CALL) == {TicketState.WAITING}
    assert allowed_from(Action.FINISH) == {TicketState.CALLED, TicketState.SERVING}
    assert allowed_from(Action.EXPIRE) == OPEN_STATES
    assert allowed_from(Action.CANCEL) == {TicketState.WAITING}
    assert allowed_from(Action.CALL_BACK) == {TicketState.NO_SHOW}
    assert allowed_from(Action.UNDO_SKIP) == {TicketState.NO_SHOW}


def test_a_done_ticket_cannot_be_called_back() -> None:
    with pytest.raises(AppError) as caught:
        next_state(TicketState.DONE, Action.CALL_BACK, "Ticket A-002")
    assert caught.value.message == (
        "Ticket A-002 is done and cannot be called back (only from: no_show)."
    )
