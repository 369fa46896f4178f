"""Removing and restoring access: disable and enable a user, set a password (store.users).

After each commit this process forgets the user's cached tokens and ends their live event
streams at once; other server processes refuse the revoked tokens within the token cache's
few seconds (server.tokens) and end the streams at their next heartbeat (server.api.queue)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, invalid
from counter_app.core.login_guard import LoginGuard, security_log
from counter_app.schemas.auth import PasswordChange, UserOut
from counter_app.server.broker import Broker
from counter_app.server.context import WriterDep, bearer_token, client_address
from counter_app.store import users
from counter_app.store.auth import hash_password, password_matches, token_digest

router = APIRouter(prefix="/api/v1/users", tags=["users"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _end_sessions(request: Request, user_id: int, keep_digest: str | None = None) -> None:
    request.app.state.services.tokens.forget_user(user_id, keep_digest)
    broker: Broker = request.app.state.broker
    broker.end_streams_of(user_id=user_id, keep_digest=keep_digest)


@router.post("/{user_id}/disable", operation_id="disable_user", response_model=UserOut)
async def disable_user(user_id: Id, request: Request, writer: WriterDep) -> Response:
    """Disable an account (an admin, within their branch): its tokens are revoked, its
    counter closes (journaled) and its live event streams end, all at once."""
    response = await writer.run(lambda s, now: users.disable_user(s, user_id, writer.actor, now))
    _end_sessions(request, user_id)
    security_log.warning(
        "user disabled user_id=%d by=%r from=%s",
        user_id,
        writer.actor.username,
        client_address(request),
    )
    return response


@router.post("/{user_id}/enable", operation_id="enable_user", response_model=UserOut)
async def enable_user(user_id: Id, request: Request, writer: WriterDep) -> Response:
    """Let a disabled account log in again (an admin, within their branch)."""
    response = await writer.run(lambda s, _now: users.enable_user(s, user_id, writer.actor))
    security_log.warning(
        "user enabled user_id=%d by=%r from=%s",
        user_id,
        writer.actor.username,
        client_address(request),
    )
    return response


@router.put("/{user_id}/password", operation_id="set_password", response_model=UserOut)
async def set_password(
    user_id: Id, body: PasswordChange, request: Request, writer: WriterDep
) -> Response:
    """Set a password: a user their own (with the current one; their other sessions end), an
    admin anyone's in their branch (without it; every session of that user ends). Wrong
    current passwords count towards the login throttle."""
    svc = writer.svc
    guard: LoginGuard = request.app.state.login_guard
    address = client_address(request)

    def look_up() -> tuple[bool, str, str]:
        with svc.db.read() as session:
            target = users.get_user(session, user_id)
            own = users.may_set_password(writer.actor, target)
            return own, target.username, target.password_hash

    own, username, current_hash = await run_in_threadpool(look_up)
    if own:
        if body.old_password is None:
            raise invalid(ErrorCode.INVALID_INPUT, "Give your current password as old_password.")
        guard.check(username, address)
        old = body.old_password
        if not await guard.pool.run(lambda: password_matches(current_hash, old)):
            guard.failed(username, address)
            raise AppError(ErrorCode.OLD_PASSWORD_WRONG)
    new_hash = await guard.pool.run(lambda: hash_password(body.new_password))
    token = bearer_token(request)
    keep = token_digest(token) if own and token is not None else None
    response = await writer.run(lambda s, _now: users.set_password_hash(s, user_id, new_hash, keep))
    _end_sessions(request, user_id, keep)
    security_log.warning(
        "password %s user=%r by=%r from=%s",
        "changed" if own else "reset",
        username,
        writer.actor.username,
        address,
    )
    return response
