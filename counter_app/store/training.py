"""Training mode (docs/TRAINING.md): a branch or one counter works on training tickets.

Training tickets are flagged, numbered apart from the real day (store.tickets.issuing), called
only by training counters (store.queue), and kept out of reports and IKM. Switching training
off closes the open training tickets as expired, journaled, so the real day carries on as if
training never happened.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, not_found
from counter_app.core.states import OPEN_STATES, Action, TicketState
from counter_app.core.vocabulary import EventKind, Role
from counter_app.schemas.training import CounterTraining, SetTrainingRequest, TrainingOut
from counter_app.store import journal
from counter_app.store.models import Branch, Counter, Ticket
from counter_app.store.office import get_branch
from counter_app.store.prepared import Prepared
from counter_app.store.rows import CounterRow, TicketRow, find_ticket
from counter_app.store.tickets.common import close_ticket

_OPEN = [state.value for state in OPEN_STATES]
_HELD = (TicketState.CALLED.value, TicketState.SERVING.value)


_BRANCH_TRAINS = Prepared(select(Branch.training).where(Branch.id == bindparam("id")))


def branch_trains(session: Session, branch_id: int) -> bool:
    # Prepared: every call-next asks it.
    return bool(_BRANCH_TRAINS.scalar(session, id=branch_id))


def counter_trains(session: Session, counter: CounterRow | Counter) -> bool:
    """The counter works on training tickets: it trains itself or its whole branch does."""
    return bool(counter.training) or branch_trains(session, counter.branch_id)


def require_same_mode(session: Session, ticket: TicketRow, counter: CounterRow) -> None:
    """A training counter never calls a real citizen's ticket, nor a real counter a training one."""
    if bool(ticket.training) != counter_trains(session, counter):
        raise conflict(
            ErrorCode.TRAINING_MODE_MISMATCH,
            f"{ticket.label} is a {'training' if ticket.training else 'real'} ticket and "
            f"{counter.name} is {'in training' if not ticket.training else 'not in training'}.",
        )


def training_state(session: Session, branch_id: int, expired: int = 0) -> TrainingOut:
    branch = get_branch(session, branch_id)
    counters = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number)
    ).all()
    return TrainingOut(
        branch_id=branch_id,
        training=bool(branch.training),
        counters=[
            CounterTraining(counter_id=c.id, number=c.number, training=bool(c.training))
            for c in counters
        ],
        expired=expired,
    )


def set_training(
    session: Session, branch_id: int, request: SetTrainingRequest, actor: Actor, now: datetime
) -> TrainingOut:
    """Switch training on or off (supervisor or admin), journaled as a set-up change."""
    actor.require_role(Role.SUPERVISOR)
    actor.require_branch(branch_id)
    return switch_training(session, branch_id, request, actor, now)


def switch_training(
    session: Session, branch_id: int, request: SetTrainingRequest, actor: Actor, now: datetime
) -> TrainingOut:
    """``set_training`` for a caller already trusted (the command line, on the database)."""
    branch = get_branch(session, branch_id)
    counter: Counter | None = None
    if request.counter_id is not None:
        counter = session.get(Counter, request.counter_id, with_for_update=True)
        if counter is None or counter.branch_id != branch_id:
            raise not_found(ErrorCode.COUNTER_NOT_FOUND, request.counter_id)
    if request.on:
        _require_no_real_ticket(session, branch_id, counter)
    if counter is not None:
        counter.training = request.on
    else:
        branch.training = request.on
        if not request.on:
            # Branch-wide off ends every counter's training too: nothing is left training.
            for each in session.scalars(select(Counter).where(Counter.branch_id == branch_id)):
                each.training = False
    session.flush()
    expired = 0 if request.on else _close_training_tickets(session, branch_id, counter, actor, now)
    journal.record(
        session,
        branch_id=branch_id,
        kind=EventKind.SETUP_CHANGED,
        at=now,
        actor=actor,
        data={
            "what": "training",
            "id": counter.id if counter is not None else branch_id,
            "scope": "counter" if counter is not None else "branch",
            "training": request.on,
            "expired": expired,
        },
    )
    return training_state(session, branch_id, expired)


def _require_no_real_ticket(session: Session, branch_id: int, counter: Counter | None) -> None:
    """Training starts where no real citizen is in hand: at the counter (or, branch-wide, at
    any counter) no real ticket may be called or being served."""
    where = [Ticket.branch_id == branch_id, Ticket.training.is_(False), Ticket.state.in_(_HELD)]
    if counter is not None:
        where.append(Ticket.counter_id == counter.id)
    held = session.scalar(select(Ticket.id).where(*where).limit(1))
    if held is not None:
        raise conflict(
            ErrorCode.TRAINING_REAL_TICKET_OPEN,
            "A real ticket is still called or being served; finish it before training starts.",
            ticket_id=held,
        )


def _close_training_tickets(
    session: Session, branch_id: int, counter: Counter | None, actor: Actor, now: datetime
) -> int:
    """Expire the open training tickets that no longer have anyone training to serve them:
    all of them when nothing in the branch trains any more, else those held at ``counter``."""
    where = [Ticket.branch_id == branch_id, Ticket.training.is_(True), Ticket.state.in_(_OPEN)]
    still_training = branch_trains(session, branch_id) or session.scalar(
        select(Counter.id).where(Counter.branch_id == branch_id, Counter.training.is_(True))
    )
    if still_training:
        if counter is None:
            return 0
        where += [Ticket.counter_id == counter.id, Ticket.state.in_(_HELD)]
    ids = list(session.scalars(select(Ticket.id).where(*where).order_by(Ticket.id)))
    for ticket_id in ids:
        ticket = find_ticket(session, ticket_id, lock=True)
        assert ticket is not None
        close_ticket(session, ticket, Action.EXPIRE, actor, now)
    return len(ids)
