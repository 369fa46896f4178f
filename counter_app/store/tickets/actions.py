"""Acting on a ticket: recall, start, finish, skip, return, transfer, cancel, and a
supervisor's move to the front of the queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, forbidden, not_found
from counter_app.core.states import UNDO_SKIP_SECONDS, Action, TicketState, next_state
from counter_app.core.vocabulary import EventKind, Role
from counter_app.schemas.tickets import (
    TicketOut,
    TransferRequest,
)
from counter_app.store.rows import (
    CounterRow,
    find_counter,
    find_service,
    find_ticket,
    insert_ticket,
    lock_ticket,
    open_ticket_at,
    save_ticket,
)
from counter_app.store.serialize import counter_out
from counter_app.store.tickets.common import (
    EVENT_OF,
    busy,
    close_ticket,
    counter_for_actor,
    counter_of,
    emit,
    journal_event,
    ticket_for_actor,
    wire_out,
)


def act(session: Session, ticket_id: int, action: Action, actor: Actor, now: datetime) -> TicketOut:
    """Recall, start, finish, skip or return a ticket at the actor's counter."""
    ticket, counter = ticket_for_actor(session, actor, ticket_id)
    new_state = next_state(TicketState(ticket.state), action, ticket.label)
    if action in (Action.FINISH, Action.SKIP):
        return close_ticket(session, ticket, action, actor, now, counter)
    if action is Action.RECALL:
        ticket.call_count += 1
    elif action is Action.START:
        ticket.started_at = now
    elif action is Action.RETURN:
        # Back in the queue at its place by arrival; the counter is free again.
        counter = counter_of(session, ticket, counter)
        ticket.counter_id = None
        ticket.officer_id = None
        ticket.called_at = None
        ticket.state = new_state.value
        save_ticket(session, ticket)
        out = wire_out(session, ticket)
        journal_event(
            session,
            branch_id=ticket.branch_id,
            kind=EventKind.TICKET_RETURNED,
            at=now,
            actor=actor,
            ticket=out.model_dump(mode="json"),
            # A counter holds one open ticket at a time, and this was it.
            counter=counter_out(session, counter, None).model_dump(mode="json")
            if counter
            else None,
        )
        return out
    ticket.state = new_state.value
    save_ticket(session, ticket)
    return emit(session, ticket, EVENT_OF[action], actor, now, counter=counter)


def transfer(
    session: Session, ticket_id: int, request: TransferRequest, actor: Actor, now: datetime
) -> TicketOut:
    """Close the ticket as transferred and continue it, same number, in another queue."""
    if actor.role is Role.OFFICER:
        ticket, from_counter = ticket_for_actor(session, actor, ticket_id)
    else:
        if actor.role is None:
            raise forbidden("Only officers and supervisors transfer tickets.")
        ticket, from_counter = lock_ticket(session, ticket_id), None
        actor.require_branch(ticket.branch_id)
    next_state(TicketState(ticket.state), Action.TRANSFER, ticket.label)
    service_id = ticket.service_id
    target_counter: CounterRow | None = None
    if request.counter_id is not None:
        target_counter = find_counter(session, request.counter_id)
        if target_counter is None or target_counter.branch_id != ticket.branch_id:
            raise not_found(ErrorCode.COUNTER_NOT_FOUND, request.counter_id)
        if target_counter.id == ticket.counter_id:
            raise conflict(ErrorCode.SAME_COUNTER, "The ticket is already at that counter.")
    else:
        assert request.service_id is not None
        service = find_service(session, request.service_id)
        if service is None or service.branch_id != ticket.branch_id:
            raise not_found(ErrorCode.SERVICE_NOT_FOUND, request.service_id)
        if not service.active:
            raise conflict(
                ErrorCode.SERVICE_CLOSED, f"The service {service.name} is not taking tickets."
            )
        service_id = service.id
    if from_counter is None and ticket.counter_id:
        from_counter = find_counter(session, ticket.counter_id)
    ticket.state = TicketState.TRANSFERRED.value
    ticket.closed_at = now
    save_ticket(session, ticket)
    continued = insert_ticket(
        session,
        replace(
            ticket,
            id=0,
            service_id=service_id,
            state=TicketState.WAITING.value,
            counter_id=None,
            target_counter_id=target_counter.id if target_counter else None,
            officer_id=None,
            enqueued_at=now,
            called_at=None,
            started_at=None,
            closed_at=None,
            call_count=0,
            appointment_at=None,
            front_at=None,
            transferred_from_id=ticket.id,
            note=request.note,
        ),
    )
    out = wire_out(session, continued)
    journal_event(
        session,
        branch_id=ticket.branch_id,
        kind=EventKind.TICKET_TRANSFERRED,
        at=now,
        actor=actor,
        ticket=out.model_dump(mode="json"),
        # The transferred ticket was the counter's open one; the counter is free now.
        counter=(
            counter_out(session, from_counter, None).model_dump(mode="json")
            if from_counter
            else None
        ),
        data={
            "from_ticket": wire_out(session, ticket, from_counter).model_dump(mode="json"),
            "to_counter_id": target_counter.id if target_counter else None,
            "to_service_id": service_id,
            "note": request.note,
        },
    )
    return out


def cancel(session: Session, ticket_id: int, actor: Actor, now: datetime) -> TicketOut:
    actor.require_role(Role.SUPERVISOR)
    ticket = lock_ticket(session, ticket_id)
    actor.require_branch(ticket.branch_id)
    return close_ticket(session, ticket, Action.CANCEL, actor, now)


def move_to_front(session: Session, ticket_id: int, actor: Actor, now: datetime) -> TicketOut:
    """A supervisor puts a waiting ticket first in its queue: the next counter that serves its
    service calls it (after transfers addressed to that counter; core.policy). Its arrival
    time stays as it was, so its waiting time and the reports remain true."""
    actor.require_role(Role.SUPERVISOR)
    ticket = lock_ticket(session, ticket_id)
    actor.require_branch(ticket.branch_id)
    if ticket.state != TicketState.WAITING.value:
        raise conflict(
            ErrorCode.INVALID_TRANSITION,
            f"{ticket.label} is {ticket.state}; only a waiting ticket can be moved to the front.",
            state=ticket.state,
            action="front",
        )
    if ticket.target_counter_id is not None:
        # It is already first at the counter it was transferred to.
        raise conflict(
            ErrorCode.TICKET_FOR_OTHER_COUNTER,
            f"{ticket.label} was transferred to a counter; transfer it again to move it.",
        )
    ticket.front_at = now
    save_ticket(session, ticket)
    return emit(session, ticket, EventKind.TICKET_MOVED_TO_FRONT, actor, now)


def undo_skip(session: Session, ticket_id: int, actor: Actor, now: datetime) -> TicketOut:
    """Take back a skip made moments ago (F5 pressed by mistake, or the citizen arrived just
    then): within :data:`UNDO_SKIP_SECONDS` the ticket is the counter's called ticket again.
    Journaled as its own event, so the report does not count the skip as a no-show.

    The counter is locked before the ticket, in the order calling takes them."""
    peek = find_ticket(session, ticket_id)
    if peek is None:
        raise not_found(ErrorCode.TICKET_NOT_FOUND, ticket_id)
    if peek.counter_id is not None:
        counter_for_actor(session, actor, peek.counter_id)  # locked, if the actor may act there
    ticket, counter = ticket_for_actor(session, actor, ticket_id)
    next_state(TicketState(ticket.state), Action.UNDO_SKIP, ticket.label)
    skipped_at = ticket.closed_at
    if skipped_at is None or now - skipped_at > timedelta(seconds=UNDO_SKIP_SECONDS):
        raise conflict(
            ErrorCode.UNDO_SKIP_EXPIRED,
            f"{ticket.label} was skipped more than {UNDO_SKIP_SECONDS} seconds ago; "
            "call the number back instead.",
            undo_seconds=UNDO_SKIP_SECONDS,
        )
    counter = counter_of(session, ticket, counter)
    if counter is None:
        raise conflict(ErrorCode.INVALID_TRANSITION, f"{ticket.label} is at no counter.")
    current = open_ticket_at(session, counter.id)
    if current is not None:
        raise busy(counter, current)
    ticket.state = TicketState.CALLED.value
    ticket.closed_at = None
    save_ticket(session, ticket)
    return emit(session, ticket, EventKind.TICKET_SKIP_UNDONE, actor, now, counter=counter)
