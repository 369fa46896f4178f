"""Apply an office set-up file: create what is missing, leave what exists, report both.

Running the same file twice changes nothing the second time, so a technician can keep the
office's file under version control and re-apply it after editing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid
from counter_app.schemas.auth import DeviceCreate, UserCreate
from counter_app.schemas.office import (
    BranchCreate,
    CounterCreate,
    PriorityClassCreate,
    ServiceCreate,
)
from counter_app.schemas.office_file import BranchEntry, OfficeFile
from counter_app.store import office
from counter_app.store.auth import hash_password
from counter_app.store.booking.holidays import add_holiday
from counter_app.store.models import (
    Branch,
    BranchHoliday,
    Counter,
    Device,
    PriorityClass,
    Service,
    User,
)

PasswordFor = Callable[[str, str | None], str | None]  # (username, password_env) -> password


def password_from_env(_username: str, env_name: str | None) -> str | None:
    return os.environ.get(env_name) if env_name else None


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    device_tokens: dict[str, str] = field(default_factory=dict)
    branch_ids: dict[str, int] = field(default_factory=dict)


def _branch(
    session: Session, entry: BranchEntry, actor: Actor, now: datetime, report: SetupReport
) -> int:
    found = session.scalar(select(Branch.id).where(Branch.code == entry.code))
    if found is not None:
        report.kept.append(f"branch {entry.code}")
        return found
    data = BranchCreate.model_validate(entry.model_dump(include=set(BranchCreate.model_fields)))
    branch = office.create_branch(session, data, actor, now)
    report.created.append(f"branch {entry.code}")
    return branch.id


def _apply_holidays(
    session: Session,
    branch_id: int,
    entry: BranchEntry,
    actor: Actor,
    now: datetime,
    report: SetupReport,
) -> None:
    for holiday in entry.holidays:
        exists = session.scalar(
            select(BranchHoliday.id).where(
                BranchHoliday.branch_id == branch_id, BranchHoliday.day == holiday.day
            )
        )
        if exists is None:
            add_holiday(session, branch_id, holiday, actor, now)
            report.created.append(f"holiday {holiday.day}")
        else:
            report.kept.append(f"holiday {holiday.day}")


def apply_branch(
    session: Session,
    entry: BranchEntry,
    actor: Actor,
    now: datetime,
    report: SetupReport,
    password_for: PasswordFor,
) -> None:
    branch_id = _branch(session, entry, actor, now, report)
    report.branch_ids[entry.code] = branch_id
    prefixes: dict[str, int] = {}
    for svc in entry.services:
        found = session.scalar(
            select(Service.id).where(Service.branch_id == branch_id, Service.prefix == svc.prefix)
        )
        if found is None:
            found = office.create_service(
                session, ServiceCreate(branch_id=branch_id, **svc.model_dump()), actor, now
            ).id
            report.created.append(f"service {svc.prefix}")
        else:
            report.kept.append(f"service {svc.prefix}")
        prefixes[svc.prefix] = found
    _apply_holidays(session, branch_id, entry, actor, now, report)
    for klass in entry.priority_classes:
        exists = session.scalar(
            select(PriorityClass.id).where(
                PriorityClass.branch_id == branch_id, PriorityClass.code == klass.code
            )
        )
        if exists is None:
            office.create_priority_class(
                session,
                PriorityClassCreate(branch_id=branch_id, code=klass.code, name=klass.name),
                actor,
                now,
            )
            report.created.append(f"priority class {klass.code}")
    counter_ids: dict[int, int] = {}
    for ctr in entry.counters:
        missing = [p for p in ctr.services if p not in prefixes]
        if missing:
            raise invalid(
                ErrorCode.UNKNOWN_PREFIX, f"Counter {ctr.number} names unknown services {missing}."
            )
        found = session.scalar(
            select(Counter.id).where(Counter.branch_id == branch_id, Counter.number == ctr.number)
        )
        if found is None:
            counter = CounterCreate(
                branch_id=branch_id,
                number=ctr.number,
                name=ctr.name,
                service_ids=[prefixes[p] for p in ctr.services],
            )
            found = office.create_counter(session, counter, actor, now).id
            report.created.append(f"counter {ctr.number}")
        else:
            report.kept.append(f"counter {ctr.number}")
        counter_ids[ctr.number] = found
    for usr in entry.users:
        if session.scalar(select(User.id).where(User.username == usr.username)) is not None:
            report.kept.append(f"user {usr.username}")
            continue
        password = password_for(usr.username, usr.password_env)
        if not password:
            raise invalid(
                ErrorCode.PASSWORD_MISSING,
                f"No password for user {usr.username}: set the environment variable "
                f"{usr.password_env or '(password_env not given)'}.",
            )
        unknown = [n for n in usr.counters if n not in counter_ids]
        if unknown:
            raise invalid(
                ErrorCode.UNKNOWN_COUNTER, f"User {usr.username} names unknown counters {unknown}."
            )
        user = UserCreate(
            username=usr.username,
            full_name=usr.full_name,
            role=usr.role,
            branch_id=branch_id,
            password=password,
            counter_ids=[counter_ids[n] for n in usr.counters],
        )
        office.create_user(session, user, actor, now)
        report.created.append(f"user {usr.username}")
    for dev in entry.devices:
        exists = session.scalar(
            select(Device.id).where(
                Device.branch_id == branch_id,
                Device.name == dev.name,
                Device.kind == dev.kind.value,
            )
        )
        if exists is not None:
            report.kept.append(f"device {dev.name}")
            continue
        created = office.create_device(
            session, DeviceCreate(branch_id=branch_id, kind=dev.kind, name=dev.name), actor, now
        )
        report.device_tokens[dev.name] = created.token
        report.created.append(f"device {dev.name}")


def apply_office(
    session: Session,
    data: OfficeFile,
    actor: Actor,
    now: datetime,
    password_for: PasswordFor = password_from_env,
) -> SetupReport:
    report = SetupReport()
    for entry in data.branches:
        apply_branch(session, entry, actor, now, report, password_for)
    return report


def reset_password(session: Session, username: str, password: str) -> None:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is not None:
        user.password_hash = hash_password(password)
