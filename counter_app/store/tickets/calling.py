"""Calling a ticket to a counter: the next one by the call policy, or one by its number."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, not_found
from counter_app.core.numbering import parse_number
from counter_app.core.policy import (
    CallHistory,
    CounterView,
    choose_next,
)
from counter_app.core.states import Action, TicketState, next_state
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.tickets import (
    CallNextResponse,
    CallTicketRequest,
    TicketOut,
)
from counter_app.store.models import Service, Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.queue import fetch_heads
from counter_app.store.rows import (
    BranchRow,
    CounterRow,
    TicketRow,
    find_branch,
    lock_ticket,
    lock_waiting_ticket,
    open_ticket_at,
    save_counter_history,
    save_ticket,
)
from counter_app.store.serialize import counter_service_ids
from counter_app.store.tickets.common import (
    busy,
    close_ticket,
    counter_for_actor,
    emit,
    policy_settings,
    require_callable,
    today,
)
from counter_app.store.training import counter_trains, require_same_mode


def _history(counter: CounterRow, day: date) -> CallHistory:
    if counter.history_day != day:
        return CallHistory()
    return CallHistory(counter.history_priority, counter.history_run)


def _mark_called(
    ticket: TicketRow,
    counter: CounterRow,
    actor: Actor,
    now: datetime,
    action: Action = Action.CALL,
) -> None:
    ticket.state = next_state(TicketState(ticket.state), action, ticket.label).value
    ticket.counter_id = counter.id
    ticket.officer_id = counter.officer_id or actor.user_id
    ticket.called_at = now
    ticket.closed_at = None
    ticket.call_count += 1


_RECALL_MINUTES = Prepared(
    select(Service.no_show_recall_minutes).where(Service.id == bindparam("id"))
)


def require_recall_window(session: Session, ticket: TicketRow, now: datetime) -> None:
    """A no-show may be called back only within its service's ``no_show_recall_minutes``
    of the skip; after that the citizen takes a new number."""
    minutes = int(_RECALL_MINUTES.scalar(session, id=ticket.service_id) or 0)
    skipped_at = ticket.closed_at
    if skipped_at is None or now - skipped_at > timedelta(minutes=minutes):
        raise conflict(
            ErrorCode.NO_SHOW_RECALL_EXPIRED,
            f"{ticket.label} was skipped more than {minutes} minutes ago and cannot be "
            "called back; the citizen needs a new number.",
            recall_minutes=minutes,
        )


def call_next(
    session: Session, counter_id: int, actor: Actor, now: datetime, *, finish_current: bool
) -> CallNextResponse:
    counter = counter_for_actor(session, actor, counter_id)
    require_callable(counter)
    finished: TicketOut | None = None
    current = open_ticket_at(session, counter.id)
    if current is not None:
        if not finish_current:
            raise busy(counter, current)
        finished = close_ticket(session, current, Action.FINISH, actor, now, counter)
    branch = find_branch(session, counter.branch_id)
    settings = policy_settings(branch)
    day = today(branch, now)
    view = CounterView(counter.id, tuple(counter_service_ids(session, counter.id)))
    training = counter_trains(session, counter)
    history = _history(counter, day)
    skipped: set[int] = set()
    while True:
        heads = fetch_heads(
            session,
            branch_id=branch.id,
            day=day,
            counter=view,
            settings=settings,
            now=now,
            exclude=skipped,
            training=training,
        )
        choice = choose_next(view, heads, history, settings, now)
        if choice is None:
            return CallNextResponse(ticket=None, finished=finished)
        # Another counter may hold this ticket in its own open transaction (PostgreSQL):
        # skip it rather than wait, and choose again among the rest.
        ticket = lock_waiting_ticket(session, choice.ticket.ticket_id)
        if ticket is not None:
            break
        skipped.add(choice.ticket.ticket_id)
    _mark_called(ticket, counter, actor, now)
    save_ticket(session, ticket)
    if choice.reason in ("priority", "regular"):
        counter.history_day = day
        counter.history_priority = choice.history.last_priority
        counter.history_run = choice.history.run
        save_counter_history(session, counter)
    out = emit(
        session,
        ticket,
        EventKind.TICKET_CALLED,
        actor,
        now,
        {"reason": choice.reason},
        counter=counter,
    )
    return CallNextResponse(ticket=out, finished=finished)


def find_by_number(
    session: Session, branch: BranchRow, text: str, now: datetime, *, training: bool = False
) -> TicketRow:
    prefix, number = parse_number(text)
    ticket_id = session.scalar(
        select(Ticket.id)
        .where(
            Ticket.branch_id == branch.id,
            Ticket.training.is_(training),
            Ticket.service_day == today(branch, now),
            Ticket.prefix == prefix,
            Ticket.number == number,
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    if ticket_id is None:
        raise conflict(ErrorCode.TICKET_NUMBER_UNKNOWN, f"No ticket {prefix}-{number:03d} today.")
    return lock_ticket(session, ticket_id)


def call_ticket(
    session: Session, counter_id: int, request: CallTicketRequest, actor: Actor, now: datetime
) -> TicketOut:
    counter = counter_for_actor(session, actor, counter_id)
    require_callable(counter)
    current = open_ticket_at(session, counter.id)
    if current is not None:
        raise busy(counter, current)
    branch = find_branch(session, counter.branch_id)
    if request.ticket_id is not None:
        ticket = lock_ticket(session, request.ticket_id)
        if ticket.branch_id != branch.id:
            raise not_found(ErrorCode.TICKET_NOT_FOUND, request.ticket_id)
    else:
        assert request.number is not None
        ticket = find_by_number(
            session, branch, request.number, now, training=counter_trains(session, counter)
        )
    require_same_mode(session, ticket, counter)
    if ticket.service_day != today(branch, now):
        # Yesterday's queue is closed (the sweeper expires it); its numbers are reused today.
        raise conflict(
            ErrorCode.TICKET_FROM_PAST_DAY,
            f"Ticket {ticket.prefix}-{ticket.number:03d} is from {ticket.service_day}; "
            "only today's tickets can be called.",
        )
    if ticket.target_counter_id not in (None, counter.id):
        raise conflict(
            ErrorCode.TICKET_FOR_OTHER_COUNTER, "This ticket was transferred to another counter."
        )
    action = Action.CALL
    reason = "by_number"
    if ticket.state == TicketState.NO_SHOW.value:
        # A no-show who came back: called again, journaled as a call (the hall hears it)
        # whose reason says it was a call back.
        require_recall_window(session, ticket, now)
        action, reason = Action.CALL_BACK, "no_show_recall"
    _mark_called(ticket, counter, actor, now, action)
    save_ticket(session, ticket)
    return emit(
        session,
        ticket,
        EventKind.TICKET_CALLED,
        actor,
        now,
        {"reason": reason},
        counter=counter,
    )
