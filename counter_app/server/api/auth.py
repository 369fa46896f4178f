from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from counter_app.schemas.auth import LoginRequest, LoginResponse, WhoAmI
from counter_app.server.context import ActorDep, ServicesDep, bearer_token
from counter_app.store import auth as auth_store
from counter_app.store import sessions

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", operation_id="login", response_model=LoginResponse)
def login(body: LoginRequest, svc: ServicesDep) -> LoginResponse:
    now = svc.clock()
    # argon2 is slow on purpose; check it outside the write lock so logins never stall calls.
    with svc.db.read() as session:
        user_id = auth_store.authenticate(session, body.username, body.password).id
    with svc.db.write() as session:
        return sessions.log_in(session, user_id, now, timedelta(hours=svc.settings.token_ttl_hours))


@router.post("/logout", operation_id="logout", status_code=204)
def logout(request: Request, actor: ActorDep, svc: ServicesDep) -> None:
    """End the session; an officer's idle counter is closed with it."""
    token = bearer_token(request)
    assert token is not None
    with svc.db.write() as session:
        sessions.log_out(session, actor, token, svc.clock())
    svc.tokens.forget(token)


@router.get("/me", operation_id="whoami", response_model=WhoAmI)
def whoami(actor: ActorDep, svc: ServicesDep) -> WhoAmI:
    if actor.user_id is None:
        return sessions.who_am_i_without_database(actor)
    with svc.db.read() as session:
        return sessions.who_am_i(session, actor)
