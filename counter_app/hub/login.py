"""The hub's logins (the API's ``hub_login`` and the dashboard's form) behind the same guard
as a branch server's (core.login_guard): failures throttled per username and per client
address with growing delays (429 ``login_throttled`` with ``Retry-After``), argon2 in a small
pool of its own, every attempt on the security log."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core.errors import AppError
from counter_app.core.login_guard import LoginGuard
from counter_app.hub import store
from counter_app.hub.models import HubUser
from counter_app.hub.store import HubRefusalError


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def guarded_login(request: Request, username: str, password: str) -> tuple[str, HubUser]:
    """A new hub token for a right username and password; refusals as the guard says."""
    guard: LoginGuard = request.app.state.login_guard
    sessions: sessionmaker[Session] = request.app.state.sessions
    address = client_address(request)
    guard.check(username, address)
    now = datetime.now(UTC)

    def check() -> tuple[str, HubUser]:
        with sessions.begin() as session:
            return store.login(session, username, password, now)

    try:
        answer = await guard.pool.run(check)
    except HubRefusalError:
        guard.failed(username, address)
        raise
    except AppError:
        guard.busy(username, address)
        raise
    guard.succeeded(username, address)
    return answer
