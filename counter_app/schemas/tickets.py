"""Tickets: issuing, acting on them, and what citizens may see of them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from counter_app.core.states import TicketState
from counter_app.core.vocabulary import TicketSource
from counter_app.schemas.base import ByValue, Request, Response, exactly_one_of
from counter_app.schemas.office import BranchOut, CounterOut, ServiceOut

Note = Annotated[str, StringConstraints(max_length=500)]


class IssueTicketRequest(Request):
    service_id: int = Field(ge=1, le=2**31 - 1)
    priority_class_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    source: Annotated[TicketSource, ByValue] = TicketSource.KIOSK


class TicketOut(Response):
    id: int
    code: str
    number: str  # "A-007"
    prefix: str
    sequence: int
    branch_id: int
    service_id: int
    service_name: str
    service_day: str
    state: TicketState
    source: TicketSource
    priority: bool
    priority_class_id: int | None
    counter_id: int | None
    counter_number: int | None
    counter_name: str | None
    target_counter_id: int | None
    officer_id: int | None
    issued_at: datetime
    enqueued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    closed_at: datetime | None
    call_count: int
    transferred_from_id: int | None
    note: str
    # When a supervisor moved this waiting ticket to the front of its queue (it is called next).
    front_at: datetime | None = None
    # Only for waiting tickets, and only where asked for (issue, status).
    ahead: int | None = None
    wait_seconds: int | None = None
    # The range most real waits fall in (about 8 in 10), whole minutes in seconds; None
    # with no estimate. Shown as "sekitar 15–25 menit" (docs/ESTIMATES.md).
    wait_low_seconds: int | None = None
    wait_high_seconds: int | None = None
    # The name on the online booking this ticket was checked in from: filled only in answers
    # to staff (get_ticket, call_next, call_ticket), never in events or public answers.
    booking_name: str | None = None
    # Issued in training mode (docs/TRAINING.md): kept out of reports and IKM.
    training: bool = False


class CallTicketRequest(Request):
    """Call a specific ticket: by id, or by its visible number such as ``A-007``."""

    model_config = ConfigDict(json_schema_extra=exactly_one_of("ticket_id", "number"))

    ticket_id: int | None = Field(default=None, ge=1, le=2**62)
    number: Annotated[str, StringConstraints(max_length=12)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> CallTicketRequest:
        if (self.ticket_id is None) == (self.number is None):
            raise ValueError("give exactly one of ticket_id or number")
        return self


class CallNextRequest(Request):
    # Finish the ticket this counter is serving (or still calling) before calling the next.
    finish_current: bool = False


class TransferRequest(Request):
    model_config = ConfigDict(json_schema_extra=exactly_one_of("service_id", "counter_id"))

    service_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    counter_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    note: Note = ""

    @model_validator(mode="after")
    def _one_of(self) -> TransferRequest:
        if (self.service_id is None) == (self.counter_id is None):
            raise ValueError("give exactly one of service_id or counter_id")
        return self


class CallNextResponse(Response):
    ticket: TicketOut | None
    finished: TicketOut | None = None


class TicketStatus(Response):
    """The public view of a ticket: no names, no NIK, nothing personal."""

    code: str
    number: str
    service_name: str
    branch_name: str
    state: TicketState
    counter_number: int | None
    counter_name: str | None
    ahead: int | None
    wait_seconds: int | None
    wait_low_seconds: int | None = None
    wait_high_seconds: int | None = None
    now_calling: list[str]
    issued_at: datetime
    called_at: datetime | None


class ServiceQueue(Response):
    service: ServiceOut
    waiting_count: int
    # Numbers handed out today (what the daily quota counts), so a kiosk can show "used up".
    issued_today: int = 0
    longest_wait_seconds: int | None
    estimated_wait_seconds: int | None
    waiting: list[TicketOut]


class QueueSnapshot(Response):
    """Everything a window needs for its first paint; stream events after ``seq``."""

    seq: int
    at: datetime
    branch: BranchOut
    services: list[ServiceQueue]
    counters: list[CounterOut]
    open_tickets: list[TicketOut]  # called or serving, one per busy counter
    recent_calls: list[TicketOut]
    # The server runs on a simulation clock (docs/SIMULATOR.md): show a "SIMULASI" band.
    simulation: bool = False


class EventOut(Response):
    seq: int
    kind: str
    at: datetime
    branch_id: int
    ticket: TicketOut | None = None
    counter: CounterOut | None = None
    user_id: int | None = None
    device_id: int | None = None
    data: dict[str, object] = Field(default_factory=dict)
