from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import select

from counter_app.core.vocabulary import CounterState
from counter_app.schemas.auth import LoginRequest, LoginResponse, WhoAmI
from counter_app.schemas.office import CounterStateRequest
from counter_app.server.context import ActorDep, ServicesDep, bearer_token
from counter_app.store import auth as auth_store
from counter_app.store.counters import set_counter_state
from counter_app.store.models import Counter, User
from counter_app.store.office import user_out
from counter_app.store.serialize import open_ticket_id

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", operation_id="login", response_model=LoginResponse)
def login(body: LoginRequest, svc: ServicesDep) -> LoginResponse:
    now = svc.clock()
    # argon2 is slow on purpose; check it outside the write lock so logins never stall calls.
    with svc.db.read() as session:
        user_id = auth_store.authenticate(session, body.username, body.password).id
    with svc.db.write() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise auth_store.bad_login()
        token, expires = auth_store.issue_user_token(
            session, user, now, timedelta(hours=svc.settings.token_ttl_hours)
        )
        return LoginResponse(token=token, expires_at=expires, user=user_out(session, user))


@router.post("/logout", operation_id="logout", status_code=204)
def logout(request: Request, actor: ActorDep, svc: ServicesDep) -> None:
    """End the session; an officer's idle counter is closed with it."""
    token = bearer_token(request)
    assert token is not None
    now = svc.clock()
    with svc.db.write() as session:
        if actor.user_id is not None:
            counter_id = session.scalar(
                select(Counter.id).where(Counter.officer_id == actor.user_id)
            )
            if counter_id is not None and open_ticket_id(session, counter_id) is None:
                set_counter_state(
                    session, counter_id, CounterStateRequest(state=CounterState.CLOSED), actor, now
                )
        auth_store.revoke(session, token)
    svc.tokens.forget(token)


@router.get("/me", operation_id="whoami", response_model=WhoAmI)
def whoami(actor: ActorDep, svc: ServicesDep) -> WhoAmI:
    if actor.user_id is None:
        return WhoAmI(
            device_id=actor.device_id, device_kind=actor.device_kind, branch_id=actor.branch_id
        )
    with svc.db.read() as session:
        user = session.get(User, actor.user_id)
        assert user is not None
        return WhoAmI(user=user_out(session, user), branch_id=actor.branch_id)
