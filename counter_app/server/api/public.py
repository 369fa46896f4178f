"""What anyone may see without logging in: a ticket's status by its public code."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Path, Request

from counter_app.core.errors import AppError, ErrorKind
from counter_app.core.ratelimit import RateLimiter
from counter_app.schemas.tickets import TicketStatus
from counter_app.server.context import ServicesDep
from counter_app.store.snapshot import ticket_status

router = APIRouter(prefix="/api/v1/public", tags=["public"])
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4,16}$")]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request) -> None:
    limiter: RateLimiter = request.app.state.public_limiter
    if not limiter.allow(client_key(request), time.monotonic()):
        raise AppError(ErrorKind.RATE_LIMITED, "rate_limited", "Too many requests; wait a moment.")


@router.get("/tickets/{code}", operation_id="get_ticket_status", response_model=TicketStatus)
def get_ticket_status(code: Code, request: Request, svc: ServicesDep) -> TicketStatus:
    """A ticket's state, position and estimated wait. No personal data."""
    rate_limited(request)
    with svc.db.read() as session:
        return ticket_status(session, code, svc.clock())
