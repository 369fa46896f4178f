"""ORM rows → wire models. Done inside the transaction, so an idempotent answer can be stored."""

from __future__ import annotations

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from counter_app.core.numbering import format_number
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState, TicketSource
from counter_app.schemas.office import (
    BookingSettingsOut,
    BranchOut,
    CounterOut,
    PriorityClassOut,
    ServiceOut,
)
from counter_app.schemas.tickets import TicketOut
from counter_app.store.caches import caches_of
from counter_app.store.models import (
    Branch,
    Counter,
    CounterService,
    PriorityClass,
    Service,
    Ticket,
    User,
)
from counter_app.store.prepared import Prepared
from counter_app.store.rows import CounterRow, TicketRow


def branch_out(branch: Branch) -> BranchOut:
    return BranchOut.model_validate(branch, from_attributes=True)


def service_out(service: Service) -> ServiceOut:
    return ServiceOut(
        id=service.id,
        branch_id=service.branch_id,
        prefix=service.prefix,
        name=service.name,
        active=service.active,
        position=service.position,
        default_service_seconds=service.default_service_seconds,
        target_wait_minutes=service.target_wait_minutes,
        no_show_recall_minutes=service.no_show_recall_minutes,
        daily_quota=service.daily_quota,
        booking=BookingSettingsOut(
            enabled=service.booking_enabled,
            slot_minutes=service.booking_slot_minutes,
            capacity=service.booking_capacity,
            window_days=service.booking_window_days,
            check_in_before=service.booking_check_in_before,
            check_in_after=service.booking_check_in_after,
        ),
    )


def priority_class_out(row: PriorityClass) -> PriorityClassOut:
    return PriorityClassOut.model_validate(row, from_attributes=True)


_UNKNOWN = object()


def counter_service_ids(session: Session, counter_id: int) -> list[int]:
    """The counter's services in its order (cached briefly: set-up changes are rare)."""
    return list(
        caches_of(session).counter_services.get(
            counter_id,
            lambda: tuple(
                session.scalars(
                    select(CounterService.service_id)
                    .where(CounterService.counter_id == counter_id)
                    .order_by(CounterService.position, CounterService.service_id)
                )
            ),
        )
    )


def officer_name(session: Session, user_id: int) -> str:
    def load() -> str:
        user = session.get(User, user_id)
        return (user.full_name or user.username) if user else ""

    return caches_of(session).officer_names.get(user_id, load)


_OPEN_TICKET_ID = Prepared(
    select(Ticket.id)
    .where(
        Ticket.counter_id == bindparam("counter_id"),
        or_(Ticket.state == TicketState.CALLED.value, Ticket.state == TicketState.SERVING.value),
    )
    .limit(1)
)


def open_ticket_id(session: Session, counter_id: int) -> int | None:
    found = _OPEN_TICKET_ID.scalar(session, counter_id=counter_id)
    return int(found) if found is not None else None


def counter_out(
    session: Session, counter: Counter | CounterRow, current: object = _UNKNOWN
) -> CounterOut:
    """``current``: the id of the counter's open ticket when the caller knows it, else looked up."""
    current_id = open_ticket_id(session, counter.id) if current is _UNKNOWN else current
    return CounterOut(
        id=counter.id,
        branch_id=counter.branch_id,
        number=counter.number,
        name=counter.name,
        state=CounterState(counter.state),
        break_reason=counter.break_reason,
        officer_id=counter.officer_id,
        officer_name=officer_name(session, counter.officer_id) if counter.officer_id else None,
        service_ids=counter_service_ids(session, counter.id),
        current_ticket_id=current_id if isinstance(current_id, int) else None,
        training=bool(counter.training),
    )


def ticket_out(session: Session, ticket: Ticket) -> TicketOut:
    service = session.get(Service, ticket.service_id)
    counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    return ticket_wire(ticket, service.name if service else "", counter)


def ticket_wire(
    ticket: Ticket | TicketRow, service_name: str, counter: Counter | CounterRow | None
) -> TicketOut:
    """The wire form of a ticket, given its service's name and the counter it is at."""
    return TicketOut(
        id=ticket.id,
        code=ticket.code,
        number=format_number(ticket.prefix, ticket.number),
        prefix=ticket.prefix,
        sequence=ticket.number,
        branch_id=ticket.branch_id,
        service_id=ticket.service_id,
        service_name=service_name,
        service_day=ticket.service_day.isoformat(),
        state=TicketState(ticket.state),
        source=TicketSource(ticket.source),
        priority=ticket.priority,
        priority_class_id=ticket.priority_class_id,
        counter_id=ticket.counter_id,
        counter_number=counter.number if counter else None,
        counter_name=counter.name if counter else None,
        target_counter_id=ticket.target_counter_id,
        officer_id=ticket.officer_id,
        issued_at=ticket.issued_at,
        enqueued_at=ticket.enqueued_at,
        called_at=ticket.called_at,
        started_at=ticket.started_at,
        closed_at=ticket.closed_at,
        call_count=ticket.call_count,
        transferred_from_id=ticket.transferred_from_id,
        note=ticket.note,
        front_at=ticket.front_at,
        training=bool(ticket.training),
    )
