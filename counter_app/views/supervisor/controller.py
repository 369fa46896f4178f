"""What the supervisor window does, apart from drawing: the live board and the actions.

The board is the shared :class:`BoardFeed` (snapshot, then events). One action at a time, as
at the counter: while a request is in flight the action buttons are disabled and another
action is refused, so a double click or a double drop transfers once. Each action gets a new
idempotency key; a dropped network retries the same request with the same key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter_app.client.api import ApiClient
from counter_app.client.board import BranchBoard
from counter_app.client.errors import ApiError
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.office import BranchOut, CounterOut
from counter_app.schemas.tickets import TicketOut
from counter_app.views.board_feed import BoardFeed
from counter_app.views.live import LiveEvents
from counter_app.views.messages import describe
from counter_app.views.one_request import OneRequest
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)


class Act(StrEnum):
    TRANSFER = "transfer"
    FRONT = "front"
    CANCEL = "cancel"
    OPEN_COUNTER = "open_counter"
    CLOSE_COUNTER = "close_counter"
    RUNNING_TEXT = "running_text"
    CALL_NUMBER = "call_number"


class SupervisorController(QObject):
    board_changed = Signal(object, bool)  # set[Change], live (from BoardFeed.changed)
    busy_changed = Signal(bool)
    online_changed = Signal(bool)
    failed = Signal(str)  # a message for the supervisor, in their language
    succeeded = Signal(str, object)  # Act value, the server's answer

    def __init__(self, client: ApiClient, branch_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.branch_id = branch_id
        self.runner = TaskRunner(self)
        assert client.token is not None
        self.live = LiveEvents(client.base_url, client.token, branch_id, self)
        self.feed = BoardFeed(
            lambda: client.queue_snapshot(branch_id), self.live, self.runner, self
        )
        self.feed.changed.connect(self.board_changed)
        self.feed.online_changed.connect(self.online_changed)
        self.requests = OneRequest(self.runner, self)
        self.requests.busy_changed.connect(self.busy_changed)
        self.requests.reached.connect(self.feed.set_online)
        self.requests.done.connect(self._succeeded)
        self.requests.refused.connect(self._failed)

    # --- state for the window ---

    @property
    def board(self) -> BranchBoard | None:
        return self.feed.board

    @property
    def busy(self) -> bool:
        return self.requests.busy

    @property
    def online(self) -> bool:
        return self.feed.online

    def ticket(self, ticket_id: int) -> TicketOut | None:
        """A ticket on the board: waiting, or open at a counter."""
        board = self.board
        if board is None:
            return None
        found = board.waiting.get(ticket_id)
        if found is not None:
            return found
        return next((t for t in board.current.values() if t.id == ticket_id), None)

    def can_ticket(self, act: Act, ticket: TicketOut | None) -> bool:
        if self.busy or ticket is None:
            return False
        match act:
            case Act.TRANSFER:
                return ticket.state in (TicketState.WAITING, TicketState.CALLED)
            case Act.FRONT:
                return ticket.state is TicketState.WAITING and ticket.target_counter_id is None
            case Act.CANCEL:
                return ticket.state is TicketState.WAITING
        return False

    def can_counter(self, act: Act, counter: CounterOut | None) -> bool:
        board = self.board
        if self.busy or counter is None or board is None:
            return False
        if act is Act.OPEN_COUNTER:
            return counter.state is not CounterState.OPEN
        if act is Act.CLOSE_COUNTER:
            return counter.state is not CounterState.CLOSED and counter.id not in board.current
        return False

    def can_transfer_to(self, ticket: TicketOut | None, counter_id: int) -> bool:
        """May this ticket be dropped on this counter? (Not the counter it is at.)"""
        if not self.can_ticket(Act.TRANSFER, ticket) or ticket is None:
            return False
        return counter_id not in (ticket.counter_id, ticket.target_counter_id)

    def can_transfer_to_id(self, ticket_id: int, counter_id: int) -> bool:
        return self.can_transfer_to(self.ticket(ticket_id), counter_id)

    # --- starting and stopping ---

    def start(self) -> None:
        self.feed.start()

    def stop(self) -> None:
        self.feed.stop()
        self.runner.wait(3000)

    # --- actions ---

    def transfer(
        self,
        ticket_id: int,
        *,
        counter_id: int | None = None,
        service_id: int | None = None,
        note: str = "",
    ) -> bool:
        ticket = self.ticket(ticket_id)
        if counter_id is not None and not self.can_transfer_to(ticket, counter_id):
            return False
        return self._perform(
            Act.TRANSFER,
            self.can_ticket(Act.TRANSFER, ticket),
            lambda key: self.client.transfer_ticket(
                ticket_id,
                counter_id=counter_id,
                service_id=service_id,
                note=note,
                idempotency_key=key,
            ),
        )

    def move_to_front(self, ticket_id: int) -> bool:
        return self._perform(
            Act.FRONT,
            self.can_ticket(Act.FRONT, self.ticket(ticket_id)),
            lambda key: self.client.move_ticket_to_front(ticket_id, idempotency_key=key),
        )

    def cancel(self, ticket_id: int) -> bool:
        return self._perform(
            Act.CANCEL,
            self.can_ticket(Act.CANCEL, self.ticket(ticket_id)),
            lambda key: self.client.cancel_ticket(ticket_id, idempotency_key=key),
        )

    def set_counter_state(self, counter_id: int, state: CounterState) -> bool:
        act = Act.OPEN_COUNTER if state is CounterState.OPEN else Act.CLOSE_COUNTER
        counter = self.board.counters.get(counter_id) if self.board else None
        return self._perform(
            act,
            self.can_counter(act, counter),
            lambda key: self.client.set_counter_state(counter_id, state, idempotency_key=key),
        )

    def call_number(self, counter_id: int, number: str) -> bool:
        """Call a ticket by number to a counter (a no-show called back, within its window)."""
        return self._perform(
            Act.CALL_NUMBER,
            not self.busy,
            lambda key: self.client.call_ticket(counter_id, number=number, idempotency_key=key),
        )

    def set_running_text(self, text: str) -> bool:
        return self._perform(
            Act.RUNNING_TEXT,
            not self.busy,
            lambda key: self.client.set_running_text(self.branch_id, text, idempotency_key=key),
        )

    def _perform(self, act: Act, allowed: bool, work: Callable[[str], Any]) -> bool:
        if not allowed:
            return False  # a second click while the first is in flight, or a stale choice
        return self.requests.start(act.value, work)

    def _succeeded(self, name: str, result: Any) -> None:
        board = self.board
        if board is not None:
            # Show the committed result at once; the event that follows changes nothing.
            if isinstance(result, TicketOut):
                if result.transferred_from_id is not None:
                    board.remove(result.transferred_from_id)
                board.place(result)
            elif isinstance(result, CounterOut):
                board.counters[result.id] = result
            elif isinstance(result, BranchOut):
                board.branch = result
        self.board_changed.emit(set(), False)
        self.succeeded.emit(name, result)

    def _failed(self, _name: str, exc: Exception) -> None:
        self.failed.emit(describe(exc))
        if isinstance(exc, ApiError) and exc.status == 409:
            self.feed.resync()  # our picture was stale; fetch the real one
