"""The regional dashboard, live (docs/HUB.md "Regional view and reports"): ``/pusat/langsung``.

A Server-Sent Events stream for the logged-in dashboard (the session cookie, as ``/pusat``):
``event: changed`` when a branch the user may see (their region; every branch for a hub
admin) has pushed, at once after a quiet spell and then at most every ``MIN_GAP_SECONDS``.
It says nothing of what changed: the page then fetches its table (``/pusat/tabel``), which
checks the session and the region as before. The stream ends after ``MAX_SECONDS``; the
browser reconnects, and a session that has ended gets 401 and the page falls back to polling.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response, StreamingResponse

from counter_app.hub import store, web
from counter_app.hub.api import _in_transaction
from counter_app.hub.status_api import STREAM_HEADERS, client_address
from counter_app.hub.status_streams import BEAT, END, HEARTBEAT_FRAME, StatusBoard

router = APIRouter(include_in_schema=False)
MIN_GAP_SECONDS = 10.0  # a busy region's dashboard: its table at most this often (the old poll)
MAX_SECONDS = 600.0
CHANGED_FRAME = b"event: changed\ndata: {}\n\n"


@router.get("/pusat/langsung")
async def dashboard_stream(request: Request) -> Response:
    now = datetime.now(UTC)

    def who(session: Session) -> tuple[bool, str | None] | None:
        user = web._user(session, request, now)
        if user is None:
            return None
        return user.actor.role == store.HUB_ADMIN, user.actor.region

    found = await _in_transaction(request, who)
    if found is None:
        return Response("", status_code=401, headers=web.HEADERS)
    admin, region = found
    board: StatusBoard = request.app.state.status_board
    address = client_address(request)
    board.check(address)

    async def frames() -> AsyncIterator[bytes]:
        # Registered once the answer runs: a stream whose answer never starts holds no place.
        listener = await board.follow_dashboard(None if admin else region, address)
        ends = time.monotonic() + MAX_SECONDS
        try:
            yield b"retry: 3000\n\n"
            while (left := ends - time.monotonic()) > 0:
                try:
                    item = await asyncio.wait_for(listener.queue.get(), left)
                except TimeoutError:
                    return
                if item == END:
                    return
                if item == BEAT:
                    yield HEARTBEAT_FRAME
                    continue
                listener.pending = False
                yield CHANGED_FRAME
                await asyncio.sleep(MIN_GAP_SECONDS)  # what comes meanwhile is one note
        finally:
            board.unfollow_dashboard(listener)

    return StreamingResponse(frames(), media_type="text/event-stream", headers=STREAM_HEADERS)
