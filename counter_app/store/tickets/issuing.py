"""Issuing a ticket: its daily number, its code, the quota, and its estimate."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, forbidden, invalid, not_found
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import DeviceKind, EventKind, TicketSource
from counter_app.schemas.tickets import (
    IssueTicketRequest,
    TicketOut,
)
from counter_app.store import idempotency
from counter_app.store.codes import new_code
from counter_app.store.estimates import estimate_for
from counter_app.store.models import Branch, Counter, DailyCounter, PriorityClass, Service
from counter_app.store.prepared import Prepared
from counter_app.store.rows import (
    BranchRow,
    ServiceRow,
    TicketRow,
    find_service_and_branch,
    insert_ticket,
)
from counter_app.store.tickets import issue_pg
from counter_app.store.tickets.common import (
    emit,
    journal_event,
    today,
    wire_out,
)
from counter_app.store.upsert import insert_for


def _next_number_statement(dialect: str) -> Any:
    insert = insert_for(dialect)
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


def training_number_key(prefix: str) -> str:
    """The numbering key of training tickets: the prefix in lower case.

    Service prefixes are capital letters only (core.numbering), so training tickets count in
    their own daily row and never use up the real day's numbers (docs/TRAINING.md).
    """
    return prefix.lower()


def is_training(session: Session, branch_id: int, actor: Actor) -> bool:
    """A ticket issued now is a training one: the branch trains, or the issuing officer's
    counter does."""
    if session.scalar(select(Branch.training).where(Branch.id == branch_id)):
        return True
    if actor.user_id is None:
        return False
    return bool(
        session.scalar(
            select(Counter.id).where(
                Counter.branch_id == branch_id,
                Counter.officer_id == actor.user_id,
                Counter.training.is_(True),
            )
        )
    )


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
        is_answer=True,
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
    is_answer: bool = False,
) -> TicketOut:
    """Number and store a new waiting ticket, journal it, and estimate its wait.

    ``is_answer``: the ticket returned is the request's whole answer (``issue_ticket``); on
    PostgreSQL it is then stored for the idempotency key before the journal's append.

    The daily quota limits tickets taken on the day; a checked-in booking (``appointment_at``
    given) already holds a place in its slot, so the quota does not turn it away (it is
    still counted).
    """
    day = today(branch, now)
    if session.get_bind().dialect.name == "postgresql":
        return _create_postgresql(
            session,
            branch,
            service,
            actor,
            now,
            day,
            source=source,
            priority_class_id=priority_class_id,
            appointment_at=appointment_at,
            data=data,
            is_answer=is_answer,
        )
    training = is_training(session, branch.id, actor)
    key = training_number_key(service.prefix) if training else service.prefix
    number, issued = _next_number(session, branch.id, day, key)
    quota = None if training or appointment_at is not None else service.daily_quota
    if quota is not None and issued > quota:
        raise conflict(
            ErrorCode.QUOTA_FULL,
            f"Today's {quota} tickets for {service.name} are all taken.",
        )
    ticket = insert_ticket(
        session,
        _new_ticket(
            branch.id,
            service,
            day,
            number,
            source,
            priority_class_id,
            now,
            appointment_at,
            training,
        ),
    )
    out = emit(
        session, ticket, EventKind.TICKET_ISSUED, actor, now, data, service_name=service.name
    )
    estimate = estimate_for(session, ticket, now, newest=True, service=service)
    return out.model_copy(
        update={
            "ahead": estimate.ahead,
            "wait_seconds": estimate.wait_seconds,
            "wait_low_seconds": estimate.low_seconds,
            "wait_high_seconds": estimate.high_seconds,
        }
    )


def _new_ticket(
    branch_id: int,
    service: Service | ServiceRow,
    day: date,
    number: int,
    source: TicketSource,
    priority_class_id: int | None,
    now: datetime,
    appointment_at: datetime | None,
    training: bool,
) -> TicketRow:
    return TicketRow(
        id=0,
        branch_id=branch_id,
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
        training=training,
    )


def _create_postgresql(
    session: Session,
    branch: Branch | BranchRow,
    service: Service | ServiceRow,
    actor: Actor,
    now: datetime,
    day: date,
    *,
    source: TicketSource,
    priority_class_id: int | None,
    appointment_at: datetime | None,
    data: dict[str, Any] | None,
    is_answer: bool,
) -> TicketOut:
    """``create_ticket`` on PostgreSQL: the reads and the estimate before the number, the
    number with the ticket's insert (store.tickets.issue_pg)."""
    before = issue_pg.read_before(
        session,
        branch.id,
        service.id,
        day,
        service.prefix,
        training_number_key(service.prefix),
        actor,
        now,
    )
    training = before.training
    key = training_number_key(service.prefix) if training else service.prefix
    ticket = _new_ticket(
        branch.id, service, day, 0, source, priority_class_id, now, appointment_at, training
    )
    ticket.id = issue_pg.PROVISIONAL_ID
    default_seconds = float(service.default_service_seconds)
    estimate = issue_pg.provisional_estimate(session, ticket, before.waiting, default_seconds, now)
    issued = issue_pg.number_and_insert(session, ticket, key)
    quota = None if training or appointment_at is not None else service.daily_quota
    if quota is not None and issued > quota:
        # Rolled back with the transaction, the number with it.
        raise conflict(
            ErrorCode.QUOTA_FULL,
            f"Today's {quota} tickets for {service.name} are all taken.",
        )
    estimate = issue_pg.settled_estimate(session, estimate, ticket, before, default_seconds, now)
    out = wire_out(session, ticket, None, service.name)
    answer = out.model_copy(
        update={
            "ahead": estimate.ahead,
            "wait_seconds": estimate.wait_seconds,
            "wait_low_seconds": estimate.low_seconds,
            "wait_high_seconds": estimate.high_seconds,
        }
    )
    if is_answer:
        # The same bytes as the server's ``dump``.
        idempotency.answer_early(session, orjson.dumps(answer.model_dump(mode="json")))
    journal_event(
        session,
        branch_id=ticket.branch_id,
        kind=EventKind.TICKET_ISSUED,
        at=now,
        actor=actor,
        ticket=out.model_dump(mode="json"),
        counter=None,
        data=data,
    )
    return answer
