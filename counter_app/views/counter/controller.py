"""What the counter window does, apart from drawing: requests, live state, retries.

One action at a time: while a request is in flight every action is refused, so a double click
or a held key calls one ticket, never two. Each press gets a new idempotency key; if the
network drops, the same request is retried with the same key until it gets through, so the
server applies it once however many attempts it takes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter_app.client.api import ApiClient
from counter_app.client.board import BranchBoard
from counter_app.client.errors import ApiError, ClientError
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState, TicketSource
from counter_app.schemas.office import CounterOut, CounterToday
from counter_app.schemas.tickets import CallNextResponse, TicketOut
from counter_app.views.board_feed import BoardFeed
from counter_app.views.live import LiveEvents
from counter_app.views.messages import describe
from counter_app.views.one_request import OneRequest
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)


def is_network(exc: Exception) -> bool:
    """The server was not reached (as opposed to: it answered no)."""
    return isinstance(exc, ClientError) and not isinstance(exc, ApiError)


class CounterCommand(StrEnum):
    """What the officer can ask of the counter window: its buttons and keys. Not
    ``core.states.Action`` (what happens to a ticket, one journal event each): a command may
    change the counter rather than a ticket (open, break, close), or pick a ticket first."""

    CALL_NEXT = "call_next"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    SKIP = "skip"
    RETURN = "return"
    TRANSFER = "transfer"
    CALL_NUMBER = "call_number"
    UNDO_SKIP = "undo_skip"
    OPEN = "open"
    BREAK = "break"
    CLOSE = "close"


class CounterController(QObject):
    board_changed = Signal()
    busy_changed = Signal(bool)
    online_changed = Signal(bool)
    today_changed = Signal(object)  # CounterToday
    failed = Signal(str)  # a message for the officer
    skip_undoable = Signal(object)  # the ticket just skipped (undo offered), or None
    closed = Signal()

    def __init__(
        self,
        client: ApiClient,
        branch_id: int,
        counter_id: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.branch_id = branch_id
        self.counter_id = counter_id
        self.today: CounterToday | None = None
        self.runner = TaskRunner(self)
        assert client.token is not None
        live = LiveEvents(client.base_url, client.token, branch_id, self)
        self.feed = BoardFeed(lambda: client.queue_snapshot(branch_id), live, self.runner, self)
        self.feed.changed.connect(self._board_changed)
        self.feed.online_changed.connect(self.online_changed)
        self.requests = OneRequest(self.runner, self)
        self.requests.busy_changed.connect(self.busy_changed)
        self.requests.reached.connect(self.feed.set_online)
        self.requests.done.connect(self._succeeded)
        self.requests.refused.connect(self._failed)
        # The name on an online booking, by ticket code: the server gives it only in answers
        # to staff (call_next, call_ticket, get_ticket), never in events or the snapshot, so
        # it is kept here for the ticket's time at this counter.
        self.booking_names: dict[str, str] = {}
        self._names_asked: set[str] = set()
        # The ticket this counter skipped last, while its skip may still be undone.
        self.last_skip: TicketOut | None = None

    # --- state for the window ---

    @property
    def busy(self) -> bool:
        return self.requests.busy

    @property
    def counter(self) -> CounterOut | None:
        return self.board.counters.get(self.counter_id) if self.board else None

    @property
    def current(self) -> TicketOut | None:
        ticket = self.board.current.get(self.counter_id) if self.board else None
        if ticket is not None and ticket.booking_name is None:
            name = self.booking_names.get(ticket.code)
            if name:
                ticket = ticket.model_copy(update={"booking_name": name})
        return ticket

    def waiting(self) -> list[TicketOut]:
        return self.board.waiting_for_counter(self.counter_id) if self.board else []

    def can(self, action: CounterCommand) -> bool:
        """Is this action possible now? Impossible actions are disabled, not errors."""
        counter = self.counter
        if self.busy or counter is None:
            return False
        is_open = counter.state is CounterState.OPEN
        current = self.current
        state = current.state if current else None
        match action:
            case CounterCommand.CALL_NEXT:
                return is_open and current is None and bool(self.waiting())
            case CounterCommand.CALL_NUMBER:
                return is_open and current is None
            case CounterCommand.UNDO_SKIP:
                return self.last_skip is not None and current is None
            case (
                CounterCommand.RECALL
                | CounterCommand.SKIP
                | CounterCommand.RETURN
                | CounterCommand.START
            ):
                return state is TicketState.CALLED
            case CounterCommand.FINISH:
                return state in (TicketState.CALLED, TicketState.SERVING)
            case CounterCommand.TRANSFER:
                return state in (TicketState.CALLED, TicketState.SERVING)
            case CounterCommand.OPEN:
                return counter.state is not CounterState.OPEN
            case CounterCommand.BREAK:
                return is_open and current is None
            case CounterCommand.CLOSE:
                return current is None
        return False

    # --- starting and stopping ---

    @property
    def board(self) -> BranchBoard | None:
        return self.feed.board

    @property
    def online(self) -> bool:
        return self.feed.online

    def start(self) -> None:
        self.feed.start()
        self.refresh_today()

    def stop(self) -> None:
        self.feed.stop()
        self.runner.wait(3000)

    def _board_changed(self) -> None:
        self._look_up_booking_name()
        self.board_changed.emit()

    def _remember_name(self, ticket: TicketOut | None) -> None:
        if ticket is not None and ticket.booking_name:
            self.booking_names[ticket.code] = ticket.booking_name

    def _look_up_booking_name(self) -> None:
        """A booked ticket at this counter whose name we have not seen (called before this
        window started, or by a supervisor): ask the server once."""
        ticket = self.current
        if (
            ticket is None
            or ticket.source is not TicketSource.ONLINE
            or ticket.booking_name
            or ticket.code in self._names_asked
        ):
            return
        self._names_asked.add(ticket.code)
        ticket_id, code = ticket.id, ticket.code

        def done(found: TicketOut) -> None:
            self._remember_name(found)
            if found.booking_name:
                self.board_changed.emit()

        def failed(exc: Exception) -> None:
            # Only logged: the name is a courtesy, the ticket works without it. After a lost
            # connection it is asked again on the next board change.
            log.warning("booking name of ticket %s not fetched: %s", ticket_id, exc)
            if is_network(exc):
                self._names_asked.discard(code)

        self.runner.run(lambda: self.client.get_ticket(ticket_id), done, failed)

    def refresh_today(self) -> None:
        def done(today: CounterToday) -> None:
            self.today = today
            self.today_changed.emit(today)

        def failed(exc: Exception) -> None:
            log.warning("today's totals for counter %s not fetched: %s", self.counter_id, exc)
            if not is_network(exc):
                # A lost network is already on the offline banner; a refusal is news.
                self.failed.emit(
                    self.tr("Today's totals could not be loaded: {reason}").format(
                        reason=describe(exc)
                    )
                )

        self.runner.run(lambda: self.client.counter_today(self.counter_id), done, failed)

    # --- actions ---

    def call_next(self) -> None:
        self._perform(
            CounterCommand.CALL_NEXT,
            lambda key: self.client.call_next(self.counter_id, idempotency_key=key),
        )

    def call_number(self, number: str) -> None:
        self._perform(
            CounterCommand.CALL_NUMBER,
            lambda key: self.client.call_ticket(
                self.counter_id, number=number, idempotency_key=key
            ),
        )

    def _ticket_action(self, action: CounterCommand, method: Callable[..., TicketOut]) -> None:
        current = self.current
        if current is None:
            return
        ticket_id = current.id
        self._perform(action, lambda key: method(ticket_id, idempotency_key=key))

    def recall(self) -> None:
        self._ticket_action(CounterCommand.RECALL, self.client.recall_ticket)

    def start_service(self) -> None:
        self._ticket_action(CounterCommand.START, self.client.start_service)

    def finish(self) -> None:
        self._ticket_action(CounterCommand.FINISH, self.client.finish_ticket)

    def skip(self) -> None:
        self._ticket_action(CounterCommand.SKIP, self.client.skip_ticket)

    def undo_skip(self) -> None:
        """Take the last skip back (within seconds): the ticket is this counter's again."""
        skipped = self.last_skip
        if skipped is None:
            return
        ticket_id = skipped.id
        self._perform(
            CounterCommand.UNDO_SKIP,
            lambda key: self.client.undo_skip(ticket_id, idempotency_key=key),
        )

    def forget_skip(self) -> None:
        """The time to undo the last skip is over (or something else happened since)."""
        if self.last_skip is not None:
            self.last_skip = None
            self.skip_undoable.emit(None)

    def return_to_queue(self) -> None:
        self._ticket_action(CounterCommand.RETURN, self.client.return_ticket)

    def transfer(
        self, *, counter_id: int | None = None, service_id: int | None = None, note: str = ""
    ) -> None:
        current = self.current
        if current is None:
            return
        ticket_id = current.id
        self._perform(
            CounterCommand.TRANSFER,
            lambda key: self.client.transfer_ticket(
                ticket_id,
                counter_id=counter_id,
                service_id=service_id,
                note=note,
                idempotency_key=key,
            ),
        )

    def set_state(self, state: CounterState, reason: str = "") -> None:
        action = {
            CounterState.OPEN: CounterCommand.OPEN,
            CounterState.BREAK: CounterCommand.BREAK,
        }.get(state, CounterCommand.CLOSE)
        self._perform(
            action,
            lambda key: self.client.set_counter_state(
                self.counter_id, state, reason=reason, idempotency_key=key
            ),
        )

    def _perform(self, action: CounterCommand, work: Callable[[str], Any]) -> None:
        if self.can(action):  # not a second click while the first is in flight, nor disabled
            self.requests.start(action.value, work)

    def _succeeded(self, name: str, result: Any) -> None:
        action = CounterCommand(name)
        if action is CounterCommand.SKIP and isinstance(result, TicketOut):
            self.last_skip = result
            self.skip_undoable.emit(result)
        else:
            self.forget_skip()  # undone, or another action since: nothing left to undo
        if self.board is not None:
            # Show the committed result at once; the event that follows changes nothing.
            if isinstance(result, CallNextResponse):
                for ticket in (result.finished, result.ticket):
                    if ticket is not None:
                        self._remember_name(ticket)
                        self.board.place(ticket)
                if result.ticket is None:
                    self.failed.emit(self.tr("Nobody is waiting for this counter."))
            elif isinstance(result, TicketOut):
                self._remember_name(result)
                self.board.place(result)
            elif isinstance(result, CounterOut):
                self.board.counters[result.id] = result
        self.board_changed.emit()
        if action in (
            CounterCommand.FINISH,
            CounterCommand.SKIP,
            CounterCommand.TRANSFER,
            CounterCommand.UNDO_SKIP,
        ):
            self.refresh_today()
        if action is CounterCommand.CLOSE:
            self.closed.emit()

    def _failed(self, name: str, exc: Exception) -> None:
        if name == CounterCommand.UNDO_SKIP.value:
            self.forget_skip()  # refused (too late, or the counter holds a ticket): gone
        self.failed.emit(describe(exc))
        if isinstance(exc, ApiError) and exc.status == 409:
            self.feed.resync()  # our picture was stale; fetch the real one
