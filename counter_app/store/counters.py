"""Opening, pausing and closing counters. One officer per open counter, one counter per officer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, forbidden
from counter_app.core.vocabulary import CounterState, EventKind, Role
from counter_app.schemas.office import CounterOut, CounterStateRequest
from counter_app.store import journal
from counter_app.store.estimates import forget_capacity
from counter_app.store.models import Counter, Ticket, User, UserCounter
from counter_app.store.office import get_counter
from counter_app.store.serialize import counter_out, open_ticket_id


def _check_officer_may_open(session: Session, counter: Counter, user_id: int) -> None:
    if counter.officer_id not in (None, user_id):
        holder = session.get(User, counter.officer_id)
        name = (holder.full_name or holder.username) if holder else "another officer"
        raise conflict(ErrorCode.COUNTER_TAKEN, f"{counter.name} is already open by {name}.")
    allowed = set(
        session.scalars(select(UserCounter.counter_id).where(UserCounter.user_id == user_id))
    )
    if allowed and counter.id not in allowed:
        raise forbidden(f"You are not assigned to {counter.name}.", ErrorCode.COUNTER_NOT_ASSIGNED)
    other = session.scalars(
        select(Counter).where(Counter.officer_id == user_id, Counter.id != counter.id)
    ).first()
    if other is not None:
        raise conflict(
            ErrorCode.OFFICER_HAS_COUNTER, f"You already have {other.name} open; close it first."
        )


def set_counter_state(
    session: Session, counter_id: int, request: CounterStateRequest, actor: Actor, now: datetime
) -> CounterOut:
    if actor.role is None:
        raise forbidden("Only officers and supervisors open or close counters.")
    counter = get_counter(session, counter_id, lock=True)
    actor.require_branch(counter.branch_id)
    officer = actor.role is Role.OFFICER
    target = request.state
    if officer and target is not CounterState.OPEN and counter.officer_id != actor.user_id:
        raise forbidden(f"{counter.name} is not open under your name.", ErrorCode.NOT_YOUR_COUNTER)
    if target is not CounterState.OPEN:
        busy = open_ticket_id(session, counter.id)
        if busy is not None:
            ticket = session.get(Ticket, busy)
            assert ticket is not None
            raise conflict(
                ErrorCode.COUNTER_BUSY,
                f"{counter.name} still has ticket {ticket.prefix}-{ticket.number:03d}; "
                "finish, skip or return it first.",
                ticket_id=busy,
            )
    if target is CounterState.OPEN:
        if officer:
            assert actor.user_id is not None
            _check_officer_may_open(session, counter, actor.user_id)
            counter.officer_id = actor.user_id
        if counter.state == CounterState.CLOSED.value:
            counter.opened_at = now
        counter.break_reason = ""
    elif target is CounterState.BREAK:
        counter.break_reason = request.reason
    else:
        counter.officer_id = None
        counter.opened_at = None
        counter.break_reason = ""
    previous = counter.state
    counter.state = target.value
    forget_capacity(session)
    session.flush()
    out = counter_out(session, counter)
    journal.record(
        session,
        branch_id=counter.branch_id,
        kind=EventKind.COUNTER_STATE,
        at=now,
        actor=actor,
        counter=out.model_dump(mode="json"),
        data={"from": previous, "reason": request.reason},
    )
    return out
