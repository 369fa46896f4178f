"""Office set-up (admin) and the lists every window reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import forbidden
from counter_app.core.vocabulary import Role
from counter_app.schemas.auth import DeviceCreate, DeviceCreated, UserCreate, UserOut
from counter_app.schemas.office import (
    BranchCreate,
    BranchOut,
    CounterCreate,
    CounterOut,
    PriorityClassCreate,
    PriorityClassOut,
    RunningTextRequest,
    ServiceCreate,
    ServiceOut,
)
from counter_app.server.context import ActorDep, ServicesDep, WriterDep
from counter_app.store import office
from counter_app.store.auth import hash_password

router = APIRouter(prefix="/api/v1", tags=["office"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _reader(actor: Actor, branch_id: int) -> None:
    actor.require_branch(branch_id)


@router.get("/branches", operation_id="list_branches", response_model=list[BranchOut])
def list_branches(actor: ActorDep, svc: ServicesDep) -> list[BranchOut]:
    with svc.db.read() as session:
        return office.list_branches(session, actor)


@router.post("/branches", operation_id="create_branch", status_code=201, response_model=BranchOut)
async def create_branch(body: BranchCreate, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    if writer.actor.branch_id is not None:
        raise forbidden("Only an admin of every branch can add branches.", ErrorCode.WRONG_BRANCH)
    return await writer.run(
        lambda s, now: office.create_branch(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.get(
    "/branches/{branch_id}/services", operation_id="list_services", response_model=list[ServiceOut]
)
def list_services(branch_id: Id, actor: ActorDep, svc: ServicesDep) -> list[ServiceOut]:
    _reader(actor, branch_id)
    with svc.db.read() as session:
        office.get_branch(session, branch_id)
        return office.list_services(session, branch_id)


@router.post("/services", operation_id="create_service", status_code=201, response_model=ServiceOut)
async def create_service(body: ServiceCreate, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: office.create_service(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.get(
    "/branches/{branch_id}/counters", operation_id="list_counters", response_model=list[CounterOut]
)
def list_counters(branch_id: Id, actor: ActorDep, svc: ServicesDep) -> list[CounterOut]:
    _reader(actor, branch_id)
    with svc.db.read() as session:
        office.get_branch(session, branch_id)
        return office.list_counters(session, branch_id)


@router.post("/counters", operation_id="create_counter", status_code=201, response_model=CounterOut)
async def create_counter(body: CounterCreate, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: office.create_counter(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.get(
    "/branches/{branch_id}/priority-classes",
    operation_id="list_priority_classes",
    response_model=list[PriorityClassOut],
)
def list_priority_classes(
    branch_id: Id, actor: ActorDep, svc: ServicesDep
) -> list[PriorityClassOut]:
    _reader(actor, branch_id)
    with svc.db.read() as session:
        office.get_branch(session, branch_id)
        return office.list_priority_classes(session, branch_id)


@router.post(
    "/priority-classes",
    operation_id="create_priority_class",
    status_code=201,
    response_model=PriorityClassOut,
)
async def create_priority_class(body: PriorityClassCreate, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: office.create_priority_class(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.get("/users", operation_id="list_users", response_model=list[UserOut])
def list_users(actor: ActorDep, svc: ServicesDep) -> list[UserOut]:
    actor.require_role(Role.SUPERVISOR)
    with svc.db.read() as session:
        return office.list_users(session, actor)


@router.post("/users", operation_id="create_user", status_code=201, response_model=UserOut)
async def create_user(body: UserCreate, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    # argon2 takes tens of milliseconds on purpose: hash in a worker, not in the transaction.
    password_hash = await run_in_threadpool(hash_password, body.password)
    return await writer.run(
        lambda s, now: office.create_user(s, body, writer.actor, now, password_hash),
        request_body=body,
        status=201,
    )


@router.post(
    "/devices", operation_id="create_device", status_code=201, response_model=DeviceCreated
)
async def create_device(body: DeviceCreate, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.ADMIN)
    return await writer.run(
        lambda s, now: office.create_device(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.put(
    "/branches/{branch_id}/running-text", operation_id="set_running_text", response_model=BranchOut
)
async def set_running_text(branch_id: Id, body: RunningTextRequest, writer: WriterDep) -> Response:
    writer.actor.require_role(Role.SUPERVISOR)
    return await writer.run(
        lambda s, now: office.set_running_text(s, branch_id, body.text, writer.actor, now),
        request_body=body,
    )
