"""The hub's live ticket status (docs/HUB.md "The status pages follow the journal"):
``GET /hub/v1/public/tickets/{code}/events``, Server-Sent Events, anonymous.

Sends ``event: status`` (``HubTicketStatus``) at once and again whenever the hub stores a
push of the ticket's branch, or the office goes away or comes back; ends after a closed state.
The work per push is shared by all streams of a branch (``hub.status_streams``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from sqlalchemy import literal_column, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnClause
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.hub.models import HubEventRow
from counter_app.hub.status_streams import (
    BEAT,
    END,
    FINAL_STATES,
    HEARTBEAT_FRAME,
    StatusBoard,
)
from counter_app.schemas.base import ErrorBody

router = APIRouter(prefix="/hub/v1", tags=["hub public"])
TicketCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4,16}$")]
SERVICE_DAY: ColumnClause[str] = literal_column("hub_events.payload->'ticket'->>'service_day'")
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


def find_ticket(session: Session, code: str) -> tuple[int, date] | None:
    """The branch and service day of the ticket ``code`` (its latest event), or ``None``."""
    found = session.execute(
        select(HubEventRow.branch_id, SERVICE_DAY)
        .where(text("(hub_events.payload->'ticket'->>'code') = :code"))
        .order_by(HubEventRow.seq.desc())
        .limit(1),
        {"code": code},
    ).first()
    if found is None or found[1] is None:
        return None
    try:
        return int(found[0]), date.fromisoformat(str(found[1])[:10])
    except ValueError:
        return None


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get(
    "/public/tickets/{code}/events",
    operation_id="hub_ticket_status_stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"},
        404: _error("`ticket_not_found`"),
        422: _error("`invalid_input`: not a ticket code"),
        429: _error("`too_many_streams` from this address"),
        503: _error("`streams_full`: this hub process holds its most streams"),
    },
)
async def hub_ticket_status_stream(code: TicketCode, request: Request) -> StreamingResponse:
    """The ticket's status as the hub knows it (``HubTicketStatus``: state, counter, the
    numbers being called, the tickets waiting before it, the time of the latest event the
    hub holds of the branch and whether the office is away) as ``event: status``, now and
    after every push of its branch; the stream ends after a closed state. No personal data.
    Capped per client address (429 ``too_many_streams``) and per process (503
    ``streams_full``)."""
    board: StatusBoard = request.app.state.status_board
    address = client_address(request)
    board.check(address)
    sessions: sessionmaker[Session] = request.app.state.sessions

    def look_up() -> tuple[int, date] | None:
        with sessions.begin() as session:
            return find_ticket(session, code)

    found = await run_in_threadpool(look_up)
    if found is None:
        raise AppError(ErrorCode.TICKET_NOT_FOUND, "No such ticket.")
    branch_id, day = found
    board.check(address)

    async def frames() -> AsyncIterator[bytes]:
        listener = board.join(branch_id, code, day, address)
        try:
            yield b"retry: 3000\n\n"
            while True:
                item = await listener.queue.get()
                if item == END:
                    return
                if item == BEAT:
                    yield HEARTBEAT_FRAME
                    continue
                assert isinstance(item, tuple)
                status, frame = item
                yield frame
                if status.state in FINAL_STATES:
                    return
        finally:
            board.leave(listener)

    return StreamingResponse(frames(), media_type="text/event-stream", headers=STREAM_HEADERS)
