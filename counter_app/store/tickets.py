"""The ticket lifecycle: issue, call, recall, start, finish, skip, return, transfer, cancel,
and a supervisor's move to the front of the queue.

Each function runs inside one write transaction (``Database.write``), checks who may do it,
moves the ticket through ``core.states``, and appends one journal event as its last write.
This is the server's hot path, so it reads and writes plain rows with prepared statements
(``store.rows``, ``store.prepared``) rather than ORM objects.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, forbidden, invalid, not_found
from counter_app.core.numbering import parse_number, service_day
from counter_app.core.policy import (
    CallHistory,
    CounterView,
    MultiServiceRule,
    PolicySettings,
    choose_next,
)
from counter_app.core.states import OPEN_STATES, Action, TicketState, next_state
from counter_app.core.vocabulary import CounterState, DeviceKind, EventKind, Role, TicketSource
from counter_app.schemas.tickets import (
    CallNextResponse,
    CallTicketRequest,
    IssueTicketRequest,
    TicketOut,
    TransferRequest,
)
from counter_app.store import journal
from counter_app.store.codes import new_code
from counter_app.store.estimates import estimate_for, forget_typical
from counter_app.store.models import Branch, DailyCounter, PriorityClass, Service, Ticket
from counter_app.store.prepared import Prepared
from counter_app.store.queue import fetch_heads
from counter_app.store.rows import (
    BranchRow,
    CounterRow,
    ServiceRow,
    TicketRow,
    apply_waiting_changes,
    find_branch,
    find_counter,
    find_service,
    find_service_and_branch,
    find_ticket,
    insert_ticket,
    lock_ticket,
    lock_waiting_ticket,
    open_ticket_at,
    save_counter_history,
    save_ticket,
)
from counter_app.store.serialize import counter_out, counter_service_ids, ticket_wire
from counter_app.store.ttl_cache import TtlCache, database_key, setup_cache

_EVENT_OF: dict[Action, EventKind] = {
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


_SERVICE_NAMES: TtlCache[tuple[str, int], str] = setup_cache(5.0)


def _service_name(session: Session, service_id: int) -> str:
    return _SERVICE_NAMES.get(
        (database_key(session), service_id),
        lambda: str(_SERVICE_NAME.scalar(session, id=service_id) or ""),
    )


def _counter_of(
    session: Session, ticket: TicketRow, known: CounterRow | None = None
) -> CounterRow | None:
    """The counter the ticket is at: ``known`` when it is that one, else read."""
    if known is not None and known.id == ticket.counter_id:
        return known
    return find_counter(session, ticket.counter_id) if ticket.counter_id else None


def _out(
    session: Session,
    ticket: TicketRow,
    counter: CounterRow | None = None,
    service_name: str | None = None,
) -> TicketOut:
    """The ticket's wire form; ``counter`` and ``service_name`` when the caller has them."""
    counter = _counter_of(session, ticket, counter)
    name = service_name if service_name is not None else _service_name(session, ticket.service_id)
    return ticket_wire(ticket, name, counter)


def _journal(session: Session, **event: Any) -> None:
    """Journal the operation's event, its last write (after the queue counts it changed)."""
    apply_waiting_changes(session)
    journal.record(session, **event)


def _emit(
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
    counter = _counter_of(session, ticket, counter)
    out = _out(session, ticket, counter, service_name)
    # The ticket is the counter's open one exactly when it is called or being served.
    is_open = ticket.state in (TicketState.CALLED.value, TicketState.SERVING.value)
    _journal(
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


# --- issuing ---------------------------------------------------------------------------


def _next_number_statement(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(DailyCounter)
        .values(
            branch_id=bindparam("branch_id"),
            service_day=bindparam("service_day"),
            prefix=bindparam("prefix"),
            last_number=1,
            issued=1,
        )
        .on_conflict_do_update(
            index_elements=["branch_id", "service_day", "prefix"],
            set_={
                "last_number": DailyCounter.last_number + 1,
                "issued": DailyCounter.issued + 1,
            },
        )
        .returning(DailyCounter.last_number, DailyCounter.issued)
    )


_NEXT_NUMBER = Prepared(_next_number_statement)


def _next_number(session: Session, branch_id: int, day: date, prefix: str) -> tuple[int, int]:
    """The next number for ``prefix`` today; the upsert's row lock orders concurrent issuers."""
    row = _NEXT_NUMBER.first(session, branch_id=branch_id, service_day=day, prefix=prefix)
    assert row is not None
    return int(row[0]), int(row[1])


def _unique_code() -> str:
    # 31^8 ≈ 8.5e11 codes: a clash within a day is vanishingly rare, and the unique index
    # turns one into a retryable 409 rather than a shared code.
    return new_code()


def issue_ticket(
    session: Session, request: IssueTicketRequest, actor: Actor, now: datetime
) -> TicketOut:
    if not actor.can_issue_tickets():
        raise forbidden("Only a kiosk or a logged-in officer can issue tickets.")
    found = find_service_and_branch(session, request.service_id)
    if found is None:
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, request.service_id)
    service, branch = found
    actor.require_branch(service.branch_id)
    if not service.active:
        raise conflict(
            ErrorCode.SERVICE_CLOSED, f"The service {service.name} is not taking tickets."
        )
    source = request.source
    if actor.device_kind is DeviceKind.KIOSK:
        source = TicketSource.KIOSK
    elif source is TicketSource.ONLINE:
        raise invalid(ErrorCode.BAD_SOURCE, "Online tickets come from a booking check-in.")
    priority = False
    if request.priority_class_id is not None:
        klass = session.get(PriorityClass, request.priority_class_id)
        if klass is None or klass.branch_id != branch.id or not klass.active:
            raise not_found(ErrorCode.PRIORITY_CLASS_NOT_FOUND, request.priority_class_id)
        priority = True
    return create_ticket(
        session,
        branch,
        service,
        actor,
        now,
        source=source,
        priority_class_id=request.priority_class_id if priority else None,
    )


def create_ticket(
    session: Session,
    branch: Branch | BranchRow,
    service: Service | ServiceRow,
    actor: Actor,
    now: datetime,
    *,
    source: TicketSource,
    priority_class_id: int | None = None,
    appointment_at: datetime | None = None,
    data: dict[str, Any] | None = None,
) -> TicketOut:
    """Number and store a new waiting ticket, journal it, and estimate its wait.

    The daily quota limits tickets taken on the day; a checked-in booking (``appointment_at``
    given) already holds a place in its slot, so the quota does not turn it away (it is
    still counted).
    """
    day = today(branch, now)
    number, issued = _next_number(session, branch.id, day, service.prefix)
    if appointment_at is None and service.daily_quota is not None and issued > service.daily_quota:
        raise conflict(
            ErrorCode.QUOTA_FULL,
            f"Today's {service.daily_quota} tickets for {service.name} are all taken.",
        )
    ticket = insert_ticket(
        session,
        TicketRow(
            id=0,
            branch_id=branch.id,
            service_id=service.id,
            service_day=day,
            prefix=service.prefix,
            number=number,
            code=_unique_code(),
            source=source.value,
            priority=priority_class_id is not None,
            priority_class_id=priority_class_id,
            state=TicketState.WAITING.value,
            counter_id=None,
            target_counter_id=None,
            officer_id=None,
            issued_at=now,
            enqueued_at=now,
            called_at=None,
            started_at=None,
            closed_at=None,
            call_count=0,
            appointment_at=appointment_at,
            front_at=None,
            transferred_from_id=None,
            note="",
        ),
    )
    out = _emit(
        session, ticket, EventKind.TICKET_ISSUED, actor, now, data, service_name=service.name
    )
    estimate = estimate_for(session, ticket, now, newest=True, service=service)
    return out.model_copy(update={"ahead": estimate.ahead, "wait_seconds": estimate.wait_seconds})


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


def _ticket_for_actor(
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


def _require_callable(counter: CounterRow) -> None:
    if counter.state != CounterState.OPEN.value:
        raise conflict(
            ErrorCode.COUNTER_NOT_OPEN,
            f"{counter.name} is {counter.state}; open it before calling.",
        )


def _busy(counter: CounterRow, ticket: TicketRow) -> Exception:
    return conflict(
        ErrorCode.COUNTER_BUSY,
        f"{counter.name} still has ticket {ticket.prefix}-{ticket.number:03d} "
        f"({ticket.state}); finish, skip or return it first.",
        ticket_id=ticket.id,
    )


# --- calling ------------------------------------------------------------------------------


def _history(counter: CounterRow, day: date) -> CallHistory:
    if counter.history_day != day:
        return CallHistory()
    return CallHistory(counter.history_priority, counter.history_run)


def _mark_called(ticket: TicketRow, counter: CounterRow, actor: Actor, now: datetime) -> None:
    ticket.state = next_state(TicketState(ticket.state), Action.CALL, ticket.label).value
    ticket.counter_id = counter.id
    ticket.officer_id = counter.officer_id or actor.user_id
    ticket.called_at = now
    ticket.call_count += 1


def call_next(
    session: Session, counter_id: int, actor: Actor, now: datetime, *, finish_current: bool
) -> CallNextResponse:
    counter = counter_for_actor(session, actor, counter_id)
    _require_callable(counter)
    finished: TicketOut | None = None
    current = open_ticket_at(session, counter.id)
    if current is not None:
        if not finish_current:
            raise _busy(counter, current)
        finished = _close(session, current, Action.FINISH, actor, now, counter)
    branch = find_branch(session, counter.branch_id)
    settings = policy_settings(branch)
    day = today(branch, now)
    view = CounterView(counter.id, tuple(counter_service_ids(session, counter.id)))
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
    out = _emit(
        session,
        ticket,
        EventKind.TICKET_CALLED,
        actor,
        now,
        {"reason": choice.reason},
        counter=counter,
    )
    return CallNextResponse(ticket=out, finished=finished)


def find_by_number(session: Session, branch: BranchRow, text: str, now: datetime) -> TicketRow:
    prefix, number = parse_number(text)
    ticket_id = session.scalar(
        select(Ticket.id)
        .where(
            Ticket.branch_id == branch.id,
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
    _require_callable(counter)
    current = open_ticket_at(session, counter.id)
    if current is not None:
        raise _busy(counter, current)
    branch = find_branch(session, counter.branch_id)
    if request.ticket_id is not None:
        ticket = lock_ticket(session, request.ticket_id)
        if ticket.branch_id != branch.id:
            raise not_found(ErrorCode.TICKET_NOT_FOUND, request.ticket_id)
    else:
        assert request.number is not None
        ticket = find_by_number(session, branch, request.number, now)
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
    _mark_called(ticket, counter, actor, now)
    save_ticket(session, ticket)
    return _emit(
        session,
        ticket,
        EventKind.TICKET_CALLED,
        actor,
        now,
        {"reason": "by_number"},
        counter=counter,
    )


# --- acting on a called or served ticket -----------------------------------------------------


def _close(
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
    return _emit(session, ticket, _EVENT_OF[action], actor, now, counter=counter)


def act(session: Session, ticket_id: int, action: Action, actor: Actor, now: datetime) -> TicketOut:
    """Recall, start, finish, skip or return a ticket at the actor's counter."""
    ticket, counter = _ticket_for_actor(session, actor, ticket_id)
    new_state = next_state(TicketState(ticket.state), action, ticket.label)
    if action in (Action.FINISH, Action.SKIP):
        return _close(session, ticket, action, actor, now, counter)
    if action is Action.RECALL:
        ticket.call_count += 1
    elif action is Action.START:
        ticket.started_at = now
    elif action is Action.RETURN:
        # Back in the queue at its place by arrival; the counter is free again.
        counter = _counter_of(session, ticket, counter)
        ticket.counter_id = None
        ticket.officer_id = None
        ticket.called_at = None
        ticket.state = new_state.value
        save_ticket(session, ticket)
        out = _out(session, ticket)
        _journal(
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
    return _emit(session, ticket, _EVENT_OF[action], actor, now, counter=counter)


def transfer(
    session: Session, ticket_id: int, request: TransferRequest, actor: Actor, now: datetime
) -> TicketOut:
    """Close the ticket as transferred and continue it, same number, in another queue."""
    if actor.role is Role.OFFICER:
        ticket, from_counter = _ticket_for_actor(session, actor, ticket_id)
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
    out = _out(session, continued)
    _journal(
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
            "from_ticket": _out(session, ticket, from_counter).model_dump(mode="json"),
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
    return _close(session, ticket, Action.CANCEL, actor, now)


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
    return _emit(session, ticket, EventKind.TICKET_MOVED_TO_FRONT, actor, now)


def expire_past_days(session: Session, branch: Branch, now: datetime, actor: Actor) -> int:
    """Close every ticket still open from an earlier service day as ``expired``."""
    day = today(branch, now)
    ids = list(
        session.scalars(
            select(Ticket.id)
            .where(
                Ticket.branch_id == branch.id,
                Ticket.service_day < day,
                Ticket.state.in_([s.value for s in OPEN_STATES]),
            )
            .order_by(Ticket.id)
            .with_for_update(skip_locked=True)
        )
    )
    for ticket_id in ids:
        ticket = find_ticket(session, ticket_id)
        assert ticket is not None
        _close(session, ticket, Action.EXPIRE, actor, now)
    return len(ids)
