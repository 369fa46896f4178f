from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from counter_app.core.errors import AppError
from counter_app.core.login_guard import LoginGuard
from counter_app.schemas.auth import LoginRequest, LoginResponse, WhoAmI
from counter_app.server.context import ActorDep, ServicesDep, bearer_token, client_address
from counter_app.store import auth as auth_store
from counter_app.store import sessions

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", operation_id="login", response_model=LoginResponse)
async def login(body: LoginRequest, request: Request, svc: ServicesDep) -> LoginResponse:
    """A token for a username and password. Repeated failures are throttled per username and
    per client address (429 ``login_throttled`` with ``Retry-After``); password checks run in
    a small pool of their own (503 ``login_busy`` when it is full), so logins never slow the
    office's other requests (core.login_guard)."""
    guard: LoginGuard = request.app.state.login_guard
    address = client_address(request)
    guard.check(body.username, address)

    def check_password() -> int:
        with svc.db.read() as session:
            return auth_store.authenticate(session, body.username, body.password).id

    try:
        user_id = await guard.pool.run(check_password)
    except AppError as exc:
        if exc.code is auth_store.bad_login().code:
            guard.failed(body.username, address)
        else:
            guard.busy(body.username, address)
        raise

    def issue() -> LoginResponse:
        with svc.db.write() as session:
            return sessions.log_in(
                session, user_id, svc.clock(), timedelta(hours=svc.settings.token_ttl_hours)
            )

    answer = await run_in_threadpool(issue)
    guard.succeeded(body.username, address)
    return answer


@router.post("/logout", operation_id="logout", status_code=204)
def logout(request: Request, actor: ActorDep, svc: ServicesDep) -> None:
    """End the session; an officer's idle counter is closed with it."""
    token = bearer_token(request)
    assert token is not None
    with svc.db.write() as session:
        sessions.log_out(session, actor, token, svc.clock())
    svc.tokens.forget(token)
    request.app.state.broker.end_streams_of(token_digest=auth_store.token_digest(token))


@router.get("/me", operation_id="whoami", response_model=WhoAmI)
def whoami(actor: ActorDep, svc: ServicesDep) -> WhoAmI:
    if actor.user_id is None:
        return sessions.who_am_i_without_database(actor)
    with svc.db.read() as session:
        return sessions.who_am_i(session, actor)
