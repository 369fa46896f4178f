"""What every route needs: the shared services, the calling actor, and idempotent writes."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app.config import Settings
from counter_app.core.actor import ANONYMOUS, Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.server.keys import Keys
from counter_app.server.responses import JsonResponse, dump
from counter_app.server.sim_clock import SimulationClock
from counter_app.server.tokens import TokenCache
from counter_app.store import idempotency
from counter_app.store.db import Database

Clock = Callable[[], datetime]
M = TypeVar("M", bound=BaseModel)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    db: Database
    tokens: TokenCache
    keys: Keys
    clock: Clock = utc_now
    # Set on a server started with --simulation-clock (then it is also ``clock``).
    simulation: SimulationClock | None = None


# The dependencies below are ``async def``: FastAPI runs a plain ``def`` dependency in its
# thread pool, one hand-over per dependency per request, which cost more than the work itself.
# They read memory; a token the cache does not know is looked up as ``_look_up_token`` says.
# The routes' reads stay ``def``, in the pool; writes go through ``Writer``.


def app_services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def services(request: Request) -> Services:
    return app_services(request)


ServicesDep = Annotated[Services, Depends(services)]


QUERY_TOKEN = "access_token"


def client_address(request: Request) -> str:
    """The caller's address as this server sees it (the proxy's, behind a proxy)."""
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request, *, from_query: bool = False) -> str | None:
    """The request's bearer token. ``from_query``: an event stream, where a browser's
    EventSource cannot set headers, may send it as ``?access_token=``; every other route
    refuses a token in the address (it lands in logs, histories and Referer headers)."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AppError(ErrorCode.BAD_AUTHORIZATION, "Use 'Authorization: Bearer <token>'.")
        return value.strip()
    in_query = request.query_params.get(QUERY_TOKEN)
    if in_query is not None and not from_query:
        raise AppError(
            ErrorCode.BAD_AUTHORIZATION,
            "A token in the address is accepted only for event streams; "
            "use 'Authorization: Bearer <token>'.",
        )
    return in_query


async def optional_actor(request: Request) -> Actor:
    """The caller, or ``ANONYMOUS`` without a token; a token that is not valid is refused."""
    return await _actor(request, bearer_token(request))


async def stream_actor(request: Request) -> Actor:
    """The caller of an event stream (``GET``): the token may come as ``?access_token=``."""
    actor = await _actor(request, bearer_token(request, from_query=request.method == "GET"))
    if actor.is_anonymous:
        raise AppError(ErrorCode.NOT_AUTHENTICATED, "Please log in first.")
    return actor


async def actor_of_token(svc: Services, token: str, now: datetime) -> Actor | None:
    """The actor a token stands for now (cache first), or ``None`` when it is not valid."""
    return svc.tokens.cached(token, now) or await _look_up_token(svc, token, now)


async def _actor(request: Request, token: str | None) -> Actor:
    if token is None:
        return ANONYMOUS
    svc = app_services(request)
    now = svc.clock()
    actor = svc.tokens.cached(token, now)
    if actor is None:
        actor = await _look_up_token(svc, token, now)
    if actor is None:
        raise AppError(
            ErrorCode.BAD_TOKEN,
            "Your session has ended or the token is not valid; log in again.",
        )
    return actor


async def _look_up_token(svc: Services, token: str, now: datetime) -> Actor | None:
    """Look up a token the cache does not know.

    With SQLite group commit the read runs on the event loop beside the writes: it is shorter
    than a hand-over to a worker thread. A database across the network, or SQLite with every
    read connection taken, is asked from the thread pool so the loop never waits."""
    if svc.db.group is not None and svc.db.reader_free():
        return svc.tokens.actor_for(token, now)
    return await run_in_threadpool(svc.tokens.actor_for, token, now)


# These call each other directly rather than through ``Depends``: each level of dependencies
# costs FastAPI a resolution pass on every request.
async def current_actor(request: Request) -> Actor:
    actor = await optional_actor(request)
    if actor.is_anonymous:
        raise AppError(ErrorCode.NOT_AUTHENTICATED, "Please log in first.")
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]
StreamActorDep = Annotated[Actor, Depends(stream_actor)]


class Writer:
    """Runs one write transaction for a route, honouring the ``Idempotency-Key`` header."""

    def __init__(
        self, request: Request, svc: Services, actor: Actor, idempotency_key: str | None
    ) -> None:
        self.svc = svc
        self.actor = actor
        self.method = request.method
        self.path = request.url.path
        self.key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None

    async def run(
        self,
        work: Callable[[Session, datetime], BaseModel | list[M]],
        *,
        request_body: BaseModel | None = None,
        status: int = 200,
    ) -> Response:
        """Run ``work`` in a write transaction and answer once it is committed.

        With SQLite group commit on: on the event loop, in the loop turn's group commit
        (``store.db.WriteGroup``), so ``work`` must be quick. Otherwise in a worker thread, one
        transaction each."""
        group = self.svc.db.group
        if group is None:
            return await run_in_threadpool(
                self._transaction, self.svc.db.write, work, request_body, status
            )
        response = self._transaction(group.member, work, request_body, status)
        await group.committed()
        return response

    def _transaction(
        self,
        begin: Callable[[], AbstractContextManager[Session]],
        work: Callable[[Session, datetime], BaseModel | list[M]],
        request_body: BaseModel | None,
        status: int,
    ) -> Response:
        now = self.svc.clock()
        with begin() as session:
            record = None
            if self.key is not None:
                print_ = idempotency.fingerprint(
                    self.method,
                    self.path,
                    request_body.model_dump_json().encode() if request_body else b"",
                )
                record, stored = idempotency.claim(session, self.actor.scope, self.key, print_, now)
                if stored is not None:
                    return Response(
                        stored.body,
                        status_code=stored.status_code,
                        media_type="application/json",
                        headers={"Idempotent-Replayed": "true"},
                    )
                if record is not None:
                    idempotency.expect_answer(session, record, status)
            body = dump(work(session, now))
            if record is not None and idempotency.answered_early(session) != body:
                idempotency.remember(session, record, status, body.decode())
        return JsonResponse(body, status_code=status)


async def writer(
    request: Request,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Writer:
    actor = await current_actor(request)
    return Writer(request, app_services(request), actor, idempotency_key)


WriterDep = Annotated[Writer, Depends(writer)]
