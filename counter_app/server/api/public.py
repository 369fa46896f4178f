"""What anyone may see without logging in: a ticket's status by its public code, once or as a
live stream."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.ratelimit import RateLimiter
from counter_app.core.states import TicketState
from counter_app.schemas.tickets import TicketStatus
from counter_app.server.broker import HEARTBEAT
from counter_app.server.context import Services, ServicesDep
from counter_app.server.public_streams import (
    BEAT,
    END,
    StatusBoard,
    StatusReader,
    status_frame,
)
from counter_app.store.snapshot import latest_by_code, ticket_status

router = APIRouter(prefix="/api/v1/public", tags=["public"])
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4,16}$")]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def rate_limited(request: Request) -> None:
    """The same check as a dependency (no thread hand-over: memory only)."""
    check_rate(request)


def check_rate(request: Request) -> None:
    limiter: RateLimiter = request.app.state.public_limiter
    if not limiter.allow(client_key(request), time.monotonic()):
        raise AppError(ErrorCode.RATE_LIMITED, "Too many requests; wait a moment.")


@router.get("/tickets/{code}", operation_id="get_ticket_status", response_model=TicketStatus)
def get_ticket_status(code: Code, request: Request, svc: ServicesDep) -> TicketStatus:
    """A ticket's state, position and estimated wait. No personal data."""
    check_rate(request)
    with svc.db.read() as session:
        return ticket_status(session, code, svc.clock())


FINAL_STATES = frozenset(
    {
        TicketState.DONE,
        TicketState.NO_SHOW,
        TicketState.CANCELLED,
        TicketState.EXPIRED,
    }
)


def status_reader(svc: Services) -> StatusReader:
    """Read the public statuses of ``codes`` in one read session (for the shared watches)."""

    def read(codes: list[str]) -> dict[str, TicketStatus]:
        found: dict[str, TicketStatus] = {}
        with svc.db.read() as session:
            now = svc.clock()
            for code in codes:
                try:
                    found[code] = ticket_status(session, code, now)
                except AppError:
                    continue  # gone: nothing to send
        return found

    return read


@router.get(
    "/tickets/{code}/events",
    operation_id="ticket_status_stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def ticket_status_stream(code: Code, request: Request, svc: ServicesDep) -> StreamingResponse:
    """The ticket's public status (the same body as ``get_ticket_status``) as ``event: status``
    now and again whenever it changes; ends once the ticket is closed. No personal data: the
    status is computed on the server from the branch's journal events, which never leave it.
    Streams are capped per client address (429 ``too_many_streams``) and in all (503
    ``streams_full``)."""
    check_rate(request)

    def load() -> tuple[TicketStatus, int, int]:
        with svc.db.read() as session:
            ticket = latest_by_code(session, code)
            return ticket_status(session, code, svc.clock()), ticket.branch_id, ticket.service_id

    first, branch_id, service_id = await run_in_threadpool(load)
    board: StatusBoard = request.app.state.status_board
    address = client_key(request)
    board.check(address)

    async def frames() -> AsyncIterator[bytes]:
        # Registered before reading again: no change falls between.
        listener = board.join(branch_id, service_id, first.code, address)
        try:
            status = (await run_in_threadpool(load))[0]
            yield b"retry: 3000\n" + status_frame(status)
            while status.state not in FINAL_STATES:
                item = await listener.queue.get()
                if item == END:
                    return
                if item == BEAT:
                    yield HEARTBEAT[1]
                    continue
                assert isinstance(item, tuple)
                fresh, frame = item
                if fresh != status:  # the shared watch may not know what this stream sent
                    status = fresh
                    yield frame
        finally:
            board.leave(service_id, listener)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
