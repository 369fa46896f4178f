"""Read models: the whole-branch snapshot for first paint, and a ticket's public status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import not_found
from counter_app.core.estimates import estimate
from counter_app.core.numbering import format_number
from counter_app.core.policy import listing_key
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import Role, role_at_least
from counter_app.schemas.tickets import QueueSnapshot, ServiceQueue, TicketOut, TicketStatus
from counter_app.store import journal
from counter_app.store.booking.wire import with_booking_name
from counter_app.store.estimates import capacity, estimate_for, typical_seconds
from counter_app.store.models import Branch, Counter, DailyCounter, Service, Ticket
from counter_app.store.office import get_branch
from counter_app.store.serialize import branch_out, counter_out, service_out, ticket_out
from counter_app.store.tickets.common import today

RECENT_CALLS = 10
HELD_STATES = (TicketState.CALLED.value, TicketState.SERVING.value)


def queue_snapshot(session: Session, branch_id: int, now: datetime) -> QueueSnapshot:
    branch = get_branch(session, branch_id)
    seq = journal.last_seq(session, branch_id)
    day = today(branch, now)
    services = session.scalars(
        select(Service)
        .where(Service.branch_id == branch_id)
        .order_by(Service.position, Service.prefix)
    ).all()
    waiting_rows = session.scalars(
        select(Ticket)
        .where(
            Ticket.branch_id == branch_id,
            Ticket.service_day == day,
            Ticket.state == TicketState.WAITING.value,
        )
        .order_by(Ticket.issued_at, Ticket.id)
    ).all()
    # Moved to the front by a supervisor: first in the list, the latest move first.
    waiting_rows = sorted(waiting_rows, key=lambda t: listing_key(t.front_at, t.issued_at, t.id))
    issued = {
        str(prefix): int(count)
        for prefix, count in session.execute(
            select(DailyCounter.prefix, DailyCounter.issued).where(
                DailyCounter.branch_id == branch_id, DailyCounter.service_day == day
            )
        )
    }
    queues: list[ServiceQueue] = []
    for service in services:
        waiting = [ticket_out(session, t) for t in waiting_rows if t.service_id == service.id]
        longest = (
            int((now - min(t.issued_at for t in waiting)).total_seconds()) if waiting else None
        )
        last_wait = estimate(
            len(waiting), typical_seconds(session, service, now), capacity(session, service.id)
        ).wait_seconds
        queues.append(
            ServiceQueue(
                service=service_out(service),
                waiting_count=len(waiting),
                issued_today=int(issued.get(service.prefix, 0)),
                longest_wait_seconds=longest,
                estimated_wait_seconds=last_wait,
                waiting=waiting,
            )
        )
    counters = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number)
    ).all()
    open_tickets = session.scalars(
        select(Ticket)
        .where(
            Ticket.branch_id == branch_id,
            Ticket.state.in_([TicketState.CALLED.value, TicketState.SERVING.value]),
        )
        .order_by(Ticket.called_at)
    ).all()
    recent = session.scalars(
        select(Ticket)
        .where(
            Ticket.branch_id == branch_id,
            Ticket.service_day == day,
            Ticket.called_at.is_not(None),
        )
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(RECENT_CALLS)
    ).all()
    return QueueSnapshot(
        seq=seq,
        at=now,
        branch=branch_out(branch),
        services=queues,
        counters=[counter_out(session, c) for c in counters],
        open_tickets=[ticket_out(session, t) for t in open_tickets],
        recent_calls=[ticket_out(session, t) for t in recent],
    )


def latest_by_code(session: Session, code: str) -> Ticket:
    ticket = session.scalars(
        select(Ticket).where(Ticket.code == code.upper()).order_by(Ticket.id.desc()).limit(1)
    ).one_or_none()
    if ticket is None:
        raise not_found(ErrorCode.TICKET_NOT_FOUND, code)
    return ticket


def ticket_with_estimate(session: Session, ticket: Ticket, now: datetime) -> TicketOut:
    out = ticket_out(session, ticket)
    if ticket.state != TicketState.WAITING.value:
        return out
    est = estimate_for(session, ticket, now)
    return out.model_copy(
        update={
            "ahead": est.ahead,
            "wait_seconds": est.wait_seconds,
            "wait_low_seconds": est.low_seconds,
            "wait_high_seconds": est.high_seconds,
        }
    )


def may_see_booking_name(session: Session, ticket: Ticket, actor: Actor) -> bool:
    """The booked name is for the counter that has the citizen — the officer whose counter
    has the ticket called or in service, or has it transferred to it — and for supervisors
    and admins; not for other officers of the branch, kiosks or displays."""
    if actor.role is None:
        return False
    if role_at_least(actor.role, Role.SUPERVISOR):
        return True
    if actor.user_id is None:
        return False
    counter_id = session.scalar(select(Counter.id).where(Counter.officer_id == actor.user_id))
    if counter_id is None:
        return False
    holds = ticket.counter_id == counter_id and ticket.state in HELD_STATES
    return holds or ticket.target_counter_id == counter_id


def ticket_seen_by(session: Session, ticket_id: int, actor: Actor, now: datetime) -> TicketOut:
    """A ticket of the actor's branch with its estimate; the booking's name only for whom
    ``may_see_booking_name`` allows."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise not_found(ErrorCode.TICKET_NOT_FOUND, ticket_id)
    actor.require_branch(ticket.branch_id)
    out = ticket_with_estimate(session, ticket, now)
    return with_booking_name(session, out) if may_see_booking_name(session, ticket, actor) else out


def ticket_status(session: Session, code: str, now: datetime) -> TicketStatus:
    ticket = latest_by_code(session, code)
    branch = session.get(Branch, ticket.branch_id)
    service = session.get(Service, ticket.service_id)
    assert branch is not None and service is not None
    counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    est = estimate_for(session, ticket, now)
    calling = session.execute(
        select(Ticket.prefix, Ticket.number)
        .where(
            Ticket.branch_id == ticket.branch_id,
            Ticket.service_id == ticket.service_id,
            Ticket.state.in_([TicketState.CALLED.value, TicketState.SERVING.value]),
        )
        .order_by(Ticket.called_at.desc())
        .limit(5)
    ).all()
    waiting = ticket.state == TicketState.WAITING.value
    return TicketStatus(
        code=ticket.code,
        number=format_number(ticket.prefix, ticket.number),
        service_name=service.name,
        branch_name=branch.name,
        state=TicketState(ticket.state),
        counter_number=counter.number if counter else None,
        counter_name=counter.name if counter else None,
        ahead=est.ahead if waiting else None,
        wait_seconds=est.wait_seconds if waiting else None,
        wait_low_seconds=est.low_seconds if waiting else None,
        wait_high_seconds=est.high_seconds if waiting else None,
        now_calling=[format_number(p, n) for p, n in calling],
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
    )
