"""The hub's HTTP API (docs/HUB.md).

Branches authenticate with their link key as a bearer token (``/hub/v1/journal…``); people
with a hub account's token (``/hub/v1/login``). Errors are JSON ``{"error", "message", …}``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from cachetools import TTLCache
from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from counter_app import __version__
from counter_app.core.error_codes import ErrorCode
from counter_app.hub import store
from counter_app.hub.login import guarded_login
from counter_app.hub.status_notify import notify_branch_updated
from counter_app.hub.store import HubActor, HubRefusalError
from counter_app.schemas.hub import (
    BranchStatus,
    HubCursor,
    HubEventOut,
    HubLoginRequest,
    HubLoginResponse,
    JournalPush,
    PushResult,
)

router = APIRouter(prefix="/hub/v1", tags=["hub"])
MAX_PUSH_BYTES = 16 * 1024 * 1024  # a push, once decompressed (PUSH_LIMIT events fit easily)
T = TypeVar("T")


def _sessions(request: Request) -> sessionmaker[Session]:
    maker: sessionmaker[Session] = request.app.state.sessions
    return maker


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HubRefusalError(ErrorCode.NOT_AUTHENTICATED, "send a bearer token")
    return token.strip()


async def _in_transaction(request: Request, work: Callable[[Session], T]) -> T:
    def run() -> T:
        with _sessions(request).begin() as session:
            return work(session)

    return await run_in_threadpool(run)


async def link_branch(request: Request) -> int:
    """The branch whose link key this is. Known keys are remembered for a few minutes (a
    branch pushes every half second): one transaction per push instead of two."""
    key = _bearer(request)
    known: TTLCache[str, int] = request.app.state.link_keys
    if (cached := known.get(key)) is not None:
        return cached

    def look_up(session: Session) -> int | None:
        return store.branch_for_key(session, key)

    branch_id = await _in_transaction(request, look_up)
    if branch_id is None:
        raise HubRefusalError(ErrorCode.BAD_TOKEN, "unknown link key")
    known[key] = branch_id
    return branch_id


async def hub_actor(request: Request) -> HubActor:
    token = _bearer(request)
    now = datetime.now(UTC)
    actor = await _in_transaction(request, lambda s: store.actor_for_token(s, token, now))
    if actor is None:
        raise HubRefusalError(ErrorCode.BAD_TOKEN, "log in again: unknown or expired token")
    return actor


BranchDep = Annotated[int, Depends(link_branch)]
ActorDep = Annotated[HubActor, Depends(hub_actor)]


@router.get("/health", operation_id="hub_health")
async def health(request: Request) -> dict[str, str]:
    await _in_transaction(request, lambda s: s.connection())
    return {"status": "ok", "version": __version__, "role": "hub"}


@router.get("/journal/cursor", operation_id="hub_cursor", response_model=HubCursor)
async def journal_cursor(request: Request, branch_id: BranchDep) -> HubCursor:
    return await _in_transaction(request, lambda s: store.cursor(s, branch_id))


def _decode_body(raw: bytes, encoding: str) -> bytes:
    if encoding in ("", "identity"):
        body = raw
    elif encoding == "gzip":
        inflater = zlib.decompressobj(wbits=31)
        try:
            body = inflater.decompress(raw, MAX_PUSH_BYTES + 1)
        except zlib.error as exc:
            message = f"the gzip body is damaged: {exc}"
            raise HubRefusalError(ErrorCode.BAD_REQUEST, message) from None
    else:
        raise HubRefusalError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"unsupported Content-Encoding {encoding!r}"
        )
    if len(body) > MAX_PUSH_BYTES:
        raise HubRefusalError(ErrorCode.BODY_TOO_LARGE, "a push is limited to 16 MiB uncompressed")
    return body


@router.post("/journal", operation_id="push_journal", response_model=PushResult)
async def push_journal(request: Request, branch_id: BranchDep) -> PushResult:
    """Append the branch's events (consecutive, oldest first); see ``store.ingest``."""
    raw = await request.body()
    body = _decode_body(raw, request.headers.get("content-encoding", "").strip().lower())
    try:
        push = JournalPush.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise HubRefusalError(ErrorCode.INVALID_INPUT, f"{where}: {first['msg']}") from None
    now = datetime.now(UTC)

    def work(session: Session) -> PushResult:
        result = store.ingest(session, branch_id, push, now)
        notify_branch_updated(session, branch_id, result.hub_seq)  # live status pages
        return result

    return await _in_transaction(request, work)


@router.post("/login", operation_id="hub_login", response_model=HubLoginResponse)
async def login(request: Request, body: HubLoginRequest) -> HubLoginResponse:
    """A bearer token for a hub user; failures are throttled (hub.login)."""
    token, user = await guarded_login(request, body.username, body.password)
    return HubLoginResponse(token=token, role=user.role, region=user.region)


@router.get("/branches", operation_id="list_branch_status", response_model=list[BranchStatus])
async def list_branch_status(request: Request, actor: ActorDep) -> list[BranchStatus]:
    """Each branch the caller may see: name, the journal sequence the hub holds, when it
    last synced, and the live figures the branch sent with its latest push."""
    return await _in_transaction(request, lambda s: store.branch_status(s, actor))


@router.get(
    "/branches/{branch_id}/events",
    operation_id="list_branch_events",
    response_model=list[HubEventOut],
)
async def list_branch_events(
    request: Request,
    actor: ActorDep,
    branch_id: int,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[HubEventOut]:
    """The hub's copy of a branch's journal, oldest first, after sequence ``after``."""
    events = await _in_transaction(
        request, lambda s: list(store.branch_events(s, actor, branch_id, after, limit))
    )
    return events
