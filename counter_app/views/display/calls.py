"""What the TV says about calls, from the branch board (Qt-free, so it is tested plainly).

The big "now calling" shows the latest call that still stands: its ticket is still called or
being served at that counter, and the counter is open. A ticket transferred, returned to the
queue, finished or skipped, or a counter gone on break or closed, no longer stands there: the
panel falls back to the latest call that does, or to nothing. The recent calls list each
ticket number once (a recall is the same citizen), newest first, without the one shown big.
"""

from __future__ import annotations

from counter_app.client.board import BranchBoard
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.tickets import TicketOut


def stands(board: BranchBoard, ticket: TicketOut) -> bool:
    """Is the citizen still expected at the counter this call sent them to?"""
    if ticket.counter_id is None:
        return False
    counter = board.counters.get(ticket.counter_id)
    current = board.current.get(ticket.counter_id)
    return (
        counter is not None
        and counter.state is CounterState.OPEN
        and current is not None
        and current.id == ticket.id
    )


def current_call(board: BranchBoard) -> TicketOut | None:
    """The call for the big panel: the latest that still stands, else ``None``."""
    for ticket in board.recent_calls:
        if stands(board, ticket):
            return board.current[ticket.counter_id]  # type: ignore[index]
    return None


def recent_lines(board: BranchBoard, current: TicketOut | None, rows: int) -> list[TicketOut]:
    """One line per ticket number, newest call first, without the one shown big."""
    seen = {current.number} if current is not None else set()
    lines = []
    for ticket in board.recent_calls:
        if ticket.number in seen:
            continue
        seen.add(ticket.number)
        lines.append(ticket)
        if len(lines) == rows:
            break
    return lines


def missed(ticket: TicketOut) -> bool:
    return ticket.state is TicketState.NO_SHOW
