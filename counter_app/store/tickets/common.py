"""What the ticket operations share: the event of each action, a branch's policy and service day,
a ticket's wire form and journal event, who may act where, and closing a ticket."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, forbidden, not_found
from counter_app.core.numbering import service_day
from counter_app.core.policy import (
    MultiServiceRule,
    PolicySettings,
)
from counter_app.core.states import Action, TicketState, next_state
from counter_app.core.vocabulary import CounterState, EventKind, Role
from counter_app.schemas.tickets import (
    TicketOut,
)
from counter_app.store import journal
from counter_app.store.caches import caches_of
from counter_app.store.estimates import forget_typical
from counter_app.store.models import Branch, Service
from counter_app.store.prepared import Prepared
from counter_app.store.rows import (
    BranchRow,
    CounterRow,
    TicketRow,
    apply_waiting_changes,
    find_counter,
    lock_ticket,
    save_ticket,
)
from counter_app.store.serialize import counter_out, ticket_wire

EVENT_OF: dict[Action, EventKind] = {
    Action.CALL: EventKind.TICKET_CALLED,
    Action.RECALL: EventKind.TICKET_RECALLED,
    Action.START: EventKind.TICKET_STARTED,
    Action.FINISH: EventKind.TICKET_FINISHED,
    Action.SKIP: EventKind.TICKET_SKIPPED,
    Action.RETURN: EventKind.TICKET_RETURNED,
    Action.TRANSFER: EventKind.TICKET_TRANSFERRED,
    Action.CANCEL: EventKind.TICKET_CANCELLED,
    Action.EXPIRE: EventKind.TICKET_EXPIRED,
}


def policy_settings(branch: Branch | BranchRow) -> PolicySettings:
    return PolicySettings(
        priority_run=branch.priority_run,
        regular_run=branch.regular_run,
        multi_service_rule=MultiServiceRule(branch.multi_service_rule),
        appointment_early=timedelta(minutes=branch.appointment_early_minutes),
    )


def today(branch: Branch | BranchRow, now: datetime) -> date:
    return service_day(now, branch.timezone)


_SERVICE_NAME = Prepared(select(Service.name).where(Service.id == bindparam("id")))


def service_name_of(session: Session, service_id: int) -> str:
    return caches_of(session).service_names.get(
        service_id,
        lambda: str(_SERVICE_NAME.scalar(session, id=service_id) or ""),
    )


def counter_of(
    session: Session, ticket: TicketRow, known: CounterRow | None = None
) -> CounterRow | None:
    """The counter the ticket is at: ``known`` when it is that one, else read."""
    if known is not None and known.id == ticket.counter_id:
        return known
    return find_counter(session, ticket.counter_id) if ticket.counter_id else None


def wire_out(
    session: Session,
    ticket: TicketRow,
    counter: CounterRow | None = None,
    service_name: str | None = None,
) -> TicketOut:
    """The ticket's wire form; ``counter`` and ``service_name`` when the caller has them."""
    counter = counter_of(session, ticket, counter)
    name = service_name if service_name is not None else service_name_of(session, ticket.service_id)
    return ticket_wire(ticket, name, counter)


def journal_event(session: Session, **event: Any) -> None:
    """Journal the operation's event, its last write (after the queue counts it changed)."""
    apply_waiting_changes(session)
    journal.record(session, **event)


def emit(
    session: Session,
    ticket: TicketRow,
    kind: EventKind,
    actor: Actor,
    now: datetime,
    data: dict[str, Any] | None = None,
    *,
    counter: CounterRow | None = None,
    service_name: str | None = None,
) -> TicketOut:
    counter = counter_of(session, ticket, counter)
    out = wire_out(session, ticket, counter, service_name)
    # The ticket is the counter's open one exactly when it is called or being served.
    is_open = ticket.state in (TicketState.CALLED.value, TicketState.SERVING.value)
    journal_event(
        session,
        branch_id=ticket.branch_id,
        kind=kind,
        at=now,
        actor=actor,
        ticket=out.model_dump(mode="json"),
        counter=(
            counter_out(session, counter, ticket.id if is_open else None).model_dump(mode="json")
            if counter
            else None
        ),
        data=data,
    )
    return out


# --- who may act where --------------------------------------------------------------------


def counter_for_actor(session: Session, actor: Actor, counter_id: int) -> CounterRow:
    """The counter locked for this transaction, if the actor may act for it."""
    if actor.role is None:
        raise forbidden("Only officers and supervisors act at a counter.")
    counter = find_counter(session, counter_id, lock=True)
    if counter is None:
        raise not_found(ErrorCode.COUNTER_NOT_FOUND, counter_id)
    actor.require_branch(counter.branch_id)
    if actor.role is Role.OFFICER and counter.officer_id != actor.user_id:
        raise forbidden(f"{counter.name} is not open under your name.", ErrorCode.NOT_YOUR_COUNTER)
    return counter


def ticket_for_actor(
    session: Session, actor: Actor, ticket_id: int
) -> tuple[TicketRow, CounterRow | None]:
    """The ticket, locked, if the actor may act on it; with its counter when that was read."""
    if actor.role is None:
        raise forbidden("Only officers and supervisors act on tickets.")
    ticket = lock_ticket(session, ticket_id)
    actor.require_branch(ticket.branch_id)
    counter = None
    if actor.role is Role.OFFICER:
        counter = find_counter(session, ticket.counter_id) if ticket.counter_id else None
        if counter is None or counter.officer_id != actor.user_id:
            raise forbidden(
                f"Ticket {ticket.prefix}-{ticket.number:03d} is not at your counter.",
                ErrorCode.NOT_YOUR_TICKET,
            )
    return ticket, counter


def require_callable(counter: CounterRow) -> None:
    if counter.state != CounterState.OPEN.value:
        raise conflict(
            ErrorCode.COUNTER_NOT_OPEN,
            f"{counter.name} is {counter.state}; open it before calling.",
        )


def busy(counter: CounterRow, ticket: TicketRow) -> Exception:
    return conflict(
        ErrorCode.COUNTER_BUSY,
        f"{counter.name} still has ticket {ticket.prefix}-{ticket.number:03d} "
        f"({ticket.state}); finish, skip or return it first.",
        ticket_id=ticket.id,
    )


def close_ticket(
    session: Session,
    ticket: TicketRow,
    action: Action,
    actor: Actor,
    now: datetime,
    counter: CounterRow | None = None,
) -> TicketOut:
    ticket.state = next_state(TicketState(ticket.state), action, ticket.label).value
    ticket.closed_at = now
    if action is Action.FINISH:
        forget_typical(session, ticket.service_id)
    save_ticket(session, ticket)
    return emit(session, ticket, EVENT_OF[action], actor, now, counter=counter)
