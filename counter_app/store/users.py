"""Removing and restoring access: disabling and enabling users, setting passwords.

Disabling ends a user's sessions at once: every token of theirs is revoked in the same
transaction, and their counter is closed (journaled). The server then drops its cached
tokens and ends their live event streams (server.api.users). Passwords arrive here already
hashed: argon2 is slow on purpose and runs before the write transaction opens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, forbidden, not_found
from counter_app.core.vocabulary import CounterState, EventKind, Role
from counter_app.schemas.auth import UserOut
from counter_app.schemas.office import CounterStateRequest
from counter_app.store import journal
from counter_app.store.counters import set_counter_state
from counter_app.store.estimates import forget_capacity
from counter_app.store.models import AuthToken, Counter, User
from counter_app.store.office import user_out
from counter_app.store.serialize import counter_out, open_ticket_id

DISABLED_REASON = "account disabled"


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found(ErrorCode.USER_NOT_FOUND, user_id)
    return user


def require_admin_over(actor: Actor, target: User) -> None:
    """Only an admin manages accounts, and a branch's admin only those of that branch (an
    all-branch admin is not theirs to manage either)."""
    actor.require_role(Role.ADMIN)
    if actor.branch_id is not None and target.branch_id != actor.branch_id:
        raise forbidden("You can only manage the users of your own branch.", ErrorCode.WRONG_BRANCH)


def may_set_password(actor: Actor, target: User) -> bool:
    """``True`` for the user themself (who must give the old password), else an admin over
    the user (who must not); raises when neither."""
    if actor.user_id == target.id:
        return True
    require_admin_over(actor, target)
    return False


def revoke_user_tokens(session: Session, user_id: int, keep_digest: str | None = None) -> None:
    """Revoke every live token of a user (but the one ``keep_digest`` names)."""
    query = update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked.is_(False))
    if keep_digest is not None:
        query = query.where(AuthToken.token_hash != keep_digest)
    session.execute(query.values(revoked=True))


def _end_counter(session: Session, user_id: int, actor: Actor, now: datetime) -> None:
    """Close the counter open under the user's name. One holding a ticket cannot close (the
    ticket would be orphaned): it goes on break instead, still journaled, so nobody calls on
    it and the supervisor sees it, and moves the ticket on."""
    counter = session.scalars(
        select(Counter).where(Counter.officer_id == user_id).with_for_update()
    ).one_or_none()
    if counter is None:
        return
    if open_ticket_id(session, counter.id) is None:
        set_counter_state(
            session,
            counter.id,
            CounterStateRequest(state=CounterState.CLOSED, reason=DISABLED_REASON),
            actor,
            now,
        )
        return
    previous = counter.state
    counter.state = CounterState.BREAK.value
    counter.break_reason = DISABLED_REASON
    forget_capacity(session)
    session.flush()
    journal.record(
        session,
        branch_id=counter.branch_id,
        kind=EventKind.COUNTER_STATE,
        at=now,
        actor=actor,
        counter=counter_out(session, counter).model_dump(mode="json"),
        data={"from": previous, "reason": DISABLED_REASON},
    )


def disable_user(session: Session, user_id: int, actor: Actor, now: datetime) -> UserOut:
    target = get_user(session, user_id)
    require_admin_over(actor, target)
    if target.id == actor.user_id:
        raise conflict(ErrorCode.CANNOT_DISABLE_SELF, "You cannot disable your own account.")
    return disable_account(session, target, actor, now)


def disable_account(session: Session, target: User, actor: Actor, now: datetime) -> UserOut:
    """Disable without checking who asks (the command line, run by the server's operator):
    the account is refused, its tokens revoked, its counter closed in ``actor``'s name."""
    target.active = False
    revoke_user_tokens(session, target.id)
    _end_counter(session, target.id, actor, now)
    session.flush()
    return user_out(session, target)


def enable_user(session: Session, user_id: int, actor: Actor) -> UserOut:
    target = get_user(session, user_id)
    require_admin_over(actor, target)
    target.active = True
    session.flush()
    return user_out(session, target)


def set_password_hash(
    session: Session, user_id: int, password_hash: str, keep_digest: str | None
) -> UserOut:
    """Store a new password and end every other session of the user (an admin's reset ends
    all of them: ``keep_digest`` is ``None``)."""
    target = get_user(session, user_id)
    target.password_hash = password_hash
    revoke_user_tokens(session, target.id, keep_digest)
    session.flush()
    return user_out(session, target)
