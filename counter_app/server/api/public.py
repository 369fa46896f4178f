"""What anyone may see without logging in: a ticket's status by its public code, once or as a
live stream."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.ratelimit import RateLimiter
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.tickets import TicketStatus
from counter_app.server.broker import CUT_OFF, HEARTBEAT, Broker
from counter_app.server.context import ServicesDep
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


def _status_frame(status: TicketStatus) -> bytes:
    return b"event: status\ndata: %s\n\n" % status.model_dump_json().encode()


def _concerns(frame: bytes, service_id: int, code: str) -> bool:
    """Could this journal event change the status of a ticket of ``service_id``?"""
    for line in frame.split(b"\n"):
        if line.startswith(b"data: "):
            event = orjson.loads(line[6:])
            if event.get("kind") == EventKind.COUNTER_STATE.value:
                return True  # an opened or closed counter moves the estimate
            ticket = event.get("ticket") or {}
            return bool(ticket.get("service_id") == service_id or ticket.get("code") == code)
    return False


@router.get(
    "/tickets/{code}/events",
    operation_id="ticket_status_stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def ticket_status_stream(code: Code, request: Request, svc: ServicesDep) -> StreamingResponse:
    """The ticket's public status (the same body as ``get_ticket_status``) as ``event: status``
    now and again whenever it changes; ends once the ticket is closed. No personal data: the
    status is computed on the server from the branch's journal events, which never leave it."""
    check_rate(request)

    def load() -> tuple[TicketStatus, int, int]:
        with svc.db.read() as session:
            ticket = latest_by_code(session, code)
            return ticket_status(session, code, svc.clock()), ticket.branch_id, ticket.service_id

    first, branch_id, service_id = await run_in_threadpool(load)
    broker: Broker = request.app.state.broker
    subscriber = broker.subscribe(branch_id)  # before reading again: nothing falls between

    async def frames() -> AsyncIterator[bytes]:
        try:
            status = (await run_in_threadpool(load))[0]
            yield b"retry: 3000\n" + _status_frame(status)
            while status.state not in FINAL_STATES:
                seq, frame = await subscriber.queue.get()
                if seq == CUT_OFF[0]:
                    return
                if seq == HEARTBEAT[0]:
                    yield frame
                    continue
                relevant = _concerns(frame, service_id, first.code)
                while not subscriber.queue.empty():  # a burst: look once, after all of it
                    seq, frame = subscriber.queue.get_nowait()
                    if seq == CUT_OFF[0]:
                        return
                    if seq != HEARTBEAT[0]:
                        relevant = relevant or _concerns(frame, service_id, first.code)
                if not relevant:
                    continue
                fresh = (await run_in_threadpool(load))[0]
                if fresh != status:
                    status = fresh
                    yield _status_frame(status)
        finally:
            broker.unsubscribe(subscriber)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
