"""Office set-up: branches, services, counters, priority classes, users and devices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, invalid, not_found
from counter_app.core.vocabulary import EventKind, Role
from counter_app.schemas.auth import DeviceCreate, DeviceCreated, UserCreate, UserOut
from counter_app.schemas.office import (
    BranchCreate,
    BranchOut,
    CounterCreate,
    CounterOut,
    PriorityClassCreate,
    PriorityClassOut,
    ServiceCreate,
    ServiceOut,
)
from counter_app.store import journal
from counter_app.store.auth import hash_password
from counter_app.store.device_tokens import issue_token
from counter_app.store.models import (
    Branch,
    BranchSequence,
    Counter,
    CounterService,
    Device,
    PriorityClass,
    Service,
    User,
    UserCounter,
)
from counter_app.store.serialize import branch_out, counter_out, priority_class_out, service_out
from counter_app.store.setup_events import record_setup_changed


def get_branch(session: Session, branch_id: int) -> Branch:
    branch = session.get(Branch, branch_id)
    if branch is None:
        raise not_found(ErrorCode.BRANCH_NOT_FOUND, branch_id)
    return branch


def get_service(session: Session, service_id: int, branch_id: int | None = None) -> Service:
    service = session.get(Service, service_id)
    if service is None or (branch_id is not None and service.branch_id != branch_id):
        raise not_found(ErrorCode.SERVICE_NOT_FOUND, service_id)
    return service


def get_counter(session: Session, counter_id: int, *, lock: bool = False) -> Counter:
    if lock:
        counter = session.scalars(
            select(Counter).where(Counter.id == counter_id).with_for_update()
        ).one_or_none()
    else:
        counter = session.get(Counter, counter_id)
    if counter is None:
        raise not_found(ErrorCode.COUNTER_NOT_FOUND, counter_id)
    return counter


def create_branch(session: Session, data: BranchCreate, actor: Actor, now: datetime) -> BranchOut:
    if session.scalar(select(Branch.id).where(Branch.code == data.code)) is not None:
        raise conflict(
            ErrorCode.BRANCH_CODE_TAKEN, f"A branch with code {data.code!r} already exists."
        )
    branch = Branch(
        code=data.code,
        name=data.name,
        timezone=data.timezone,
        address=data.address,
        priority_run=data.priority_run,
        regular_run=data.regular_run,
        multi_service_rule=data.multi_service_rule.value,
        appointment_early_minutes=data.appointment_early_minutes,
        opening_hours={day: list(hours) for day, hours in data.opening_hours.items()},
        running_text="",
    )
    session.add(branch)
    session.flush()
    session.add(BranchSequence(branch_id=branch.id, last_seq=0))
    session.flush()
    record_setup_changed(session, branch.id, actor, now, "branch", branch.id)
    return branch_out(branch)


def _check_free(
    session: Session,
    actor: Actor,
    column: InstrumentedAttribute[Any],
    branch_id: int,
    value: object,
    code: ErrorCode,
    message: str,
) -> None:
    """Before a new service, counter or priority class: the actor may set up the branch, it
    exists, and no row of that kind in it has ``value`` in ``column`` (else ``code``, 409)."""
    actor.require_branch(branch_id)
    get_branch(session, branch_id)
    model = column.class_
    taken = session.scalar(select(model.id).where(model.branch_id == branch_id, column == value))
    if taken is not None:
        raise conflict(code, message)


def create_service(
    session: Session, data: ServiceCreate, actor: Actor, now: datetime
) -> ServiceOut:
    _check_free(
        session,
        actor,
        Service.prefix,
        data.branch_id,
        data.prefix,
        ErrorCode.PREFIX_TAKEN,
        f"Prefix {data.prefix} is already used in this branch.",
    )
    service = Service(
        branch_id=data.branch_id,
        prefix=data.prefix,
        name=data.name,
        active=True,
        position=data.position,
        default_service_seconds=data.default_service_seconds,
        target_wait_minutes=data.target_wait_minutes,
        no_show_recall_minutes=data.no_show_recall_minutes,
        daily_quota=data.daily_quota,
        booking_enabled=data.booking.enabled,
        booking_slot_minutes=data.booking.slot_minutes,
        booking_capacity=data.booking.capacity,
        booking_window_days=data.booking.window_days,
        booking_check_in_before=data.booking.check_in_before,
        booking_check_in_after=data.booking.check_in_after,
    )
    session.add(service)
    session.flush()
    record_setup_changed(session, data.branch_id, actor, now, "service", service.id)
    return service_out(service)


def create_counter(
    session: Session, data: CounterCreate, actor: Actor, now: datetime
) -> CounterOut:
    _check_free(
        session,
        actor,
        Counter.number,
        data.branch_id,
        data.number,
        ErrorCode.COUNTER_NUMBER_TAKEN,
        f"Counter {data.number} already exists here.",
    )
    if len(set(data.service_ids)) != len(data.service_ids):
        raise invalid(ErrorCode.DUPLICATE_SERVICE, "A service is listed twice for this counter.")
    for service_id in data.service_ids:
        get_service(session, service_id, data.branch_id)
    counter = Counter(
        branch_id=data.branch_id,
        number=data.number,
        name=data.name or f"Loket {data.number}",
        state="closed",
        break_reason="",
        history_run=0,
    )
    session.add(counter)
    session.flush()
    for position, service_id in enumerate(data.service_ids):
        session.add(CounterService(counter_id=counter.id, service_id=service_id, position=position))
    session.flush()
    record_setup_changed(session, data.branch_id, actor, now, "counter", counter.id)
    return counter_out(session, counter)


def create_priority_class(
    session: Session, data: PriorityClassCreate, actor: Actor, now: datetime
) -> PriorityClassOut:
    _check_free(
        session,
        actor,
        PriorityClass.code,
        data.branch_id,
        data.code,
        ErrorCode.PRIORITY_CLASS_TAKEN,
        f"Priority class {data.code!r} already exists.",
    )
    row = PriorityClass(branch_id=data.branch_id, code=data.code, name=data.name, active=True)
    session.add(row)
    session.flush()
    record_setup_changed(session, data.branch_id, actor, now, "priority_class", row.id)
    return priority_class_out(row)


def user_out(session: Session, user: User) -> UserOut:
    counter_ids = list(
        session.scalars(
            select(UserCounter.counter_id)
            .where(UserCounter.user_id == user.id)
            .order_by(UserCounter.counter_id)
        )
    )
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        branch_id=user.branch_id,
        active=user.active,
        counter_ids=counter_ids,
    )


def create_user(
    session: Session,
    data: UserCreate,
    actor: Actor,
    now: datetime,
    password_hash: str | None = None,
) -> UserOut:
    """``password_hash``: the password already hashed, so a caller can hash (slow on purpose)
    before it opens the transaction."""
    if data.branch_id is not None:
        actor.require_branch(data.branch_id)
        get_branch(session, data.branch_id)
    elif actor.branch_id is not None:
        raise invalid(ErrorCode.BRANCH_REQUIRED, "Give the branch the new user belongs to.")
    if data.role is not Role.ADMIN and data.branch_id is None:
        raise invalid(ErrorCode.BRANCH_REQUIRED, "Officers and supervisors belong to one branch.")
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise conflict(ErrorCode.USERNAME_TAKEN, f"The username {data.username!r} is taken.")
    for counter_id in data.counter_ids:
        counter = get_counter(session, counter_id)
        if counter.branch_id != data.branch_id:
            raise invalid(
                ErrorCode.COUNTER_NOT_IN_BRANCH, f"Counter {counter_id} is in another branch."
            )
    user = User(
        username=data.username,
        full_name=data.full_name,
        role=data.role.value,
        branch_id=data.branch_id,
        password_hash=password_hash or hash_password(data.password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    for counter_id in sorted(set(data.counter_ids)):
        session.add(UserCounter(user_id=user.id, counter_id=counter_id))
    session.flush()
    return user_out(session, user)


def add_admin(session: Session, username: str, password: str, now: datetime) -> User:
    """An admin of every branch (``counter-app init``, the demo)."""
    user = User(
        username=username,
        full_name="Administrator",
        role=Role.ADMIN.value,
        branch_id=None,
        password_hash=hash_password(password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def create_device(
    session: Session, data: DeviceCreate, actor: Actor, now: datetime
) -> DeviceCreated:
    actor.require_branch(data.branch_id)
    get_branch(session, data.branch_id)
    device = Device(
        branch_id=data.branch_id, kind=data.kind.value, name=data.name, active=True, created_at=now
    )
    session.add(device)
    session.flush()
    token, expires = issue_token(session, device, now, data.expires_days)
    return DeviceCreated(
        id=device.id,
        branch_id=device.branch_id,
        kind=data.kind,
        name=device.name,
        token=token,
        token_expires_at=expires,
    )


def list_branches(session: Session, actor: Actor) -> list[BranchOut]:
    query = select(Branch).order_by(Branch.id)
    if actor.branch_id is not None:
        query = query.where(Branch.id == actor.branch_id)
    return [branch_out(b) for b in session.scalars(query)]


def list_services(session: Session, branch_id: int) -> list[ServiceOut]:
    rows: Sequence[Service] = session.scalars(
        select(Service)
        .where(Service.branch_id == branch_id)
        .order_by(Service.position, Service.prefix)
    ).all()
    return [service_out(s) for s in rows]


def list_counters(session: Session, branch_id: int) -> list[CounterOut]:
    rows = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number)
    ).all()
    return [counter_out(session, c) for c in rows]


def list_priority_classes(session: Session, branch_id: int) -> list[PriorityClassOut]:
    rows = session.scalars(
        select(PriorityClass)
        .where(PriorityClass.branch_id == branch_id, PriorityClass.active.is_(True))
        .order_by(PriorityClass.id)
    ).all()
    return [priority_class_out(r) for r in rows]


def list_users(session: Session, actor: Actor) -> list[UserOut]:
    query = select(User).order_by(User.id)
    if actor.branch_id is not None:
        query = query.where(User.branch_id == actor.branch_id)
    return [user_out(session, u) for u in session.scalars(query)]


def set_running_text(
    session: Session, branch_id: int, text: str, actor: Actor, now: datetime
) -> BranchOut:
    actor.require_branch(branch_id)
    branch = get_branch(session, branch_id)
    branch.running_text = text
    session.flush()
    journal.record(
        session,
        branch_id=branch_id,
        kind=EventKind.SETUP_CHANGED,
        at=now,
        actor=actor,
        data={"what": "running_text", "text": text},
    )
    return branch_out(branch)
