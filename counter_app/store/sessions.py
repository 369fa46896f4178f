"""Logging in and out, and who the caller is: what the auth routes need of the database.
(Passwords and tokens themselves are ``store.auth``'s.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.auth import LoginResponse, WhoAmI
from counter_app.schemas.office import CounterStateRequest
from counter_app.store import auth
from counter_app.store.counters import set_counter_state
from counter_app.store.models import Counter, User
from counter_app.store.office import user_out
from counter_app.store.serialize import open_ticket_id


def log_in(session: Session, user_id: int, now: datetime, lifetime: timedelta) -> LoginResponse:
    """A new token for a user whose password was checked (outside this write transaction:
    argon2 is slow on purpose, and the write lock must not wait for it)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise auth.bad_login()
    token, expires = auth.issue_user_token(session, user, now, lifetime)
    return LoginResponse(token=token, expires_at=expires, user=user_out(session, user))


def log_out(session: Session, actor: Actor, token: str, now: datetime) -> None:
    """End the session; an officer's idle counter (no open ticket) is closed with it."""
    if actor.user_id is not None:
        counter_id = session.scalar(select(Counter.id).where(Counter.officer_id == actor.user_id))
        if counter_id is not None and open_ticket_id(session, counter_id) is None:
            set_counter_state(
                session, counter_id, CounterStateRequest(state=CounterState.CLOSED), actor, now
            )
    auth.revoke(session, token)


def who_am_i_without_database(actor: Actor) -> WhoAmI:
    """A device (kiosk, display) is what its token says; it has no user to read."""
    return WhoAmI(
        device_id=actor.device_id, device_kind=actor.device_kind, branch_id=actor.branch_id
    )


def who_am_i(session: Session, actor: Actor) -> WhoAmI:
    if actor.user_id is None:
        return who_am_i_without_database(actor)
    user = session.get(User, actor.user_id)
    assert user is not None
    return WhoAmI(user=user_out(session, user), branch_id=actor.branch_id)
