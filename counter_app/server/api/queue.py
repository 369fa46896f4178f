"""The live side: a snapshot for first paint, then Server-Sent Events from its ``seq`` on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from counter_app.core.actor import Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import conflict, invalid
from counter_app.schemas.tickets import QueueSnapshot
from counter_app.server.broker import CUT_OFF, HEARTBEAT, Broker, Subscriber, encode, frame_seq
from counter_app.server.context import (
    ActorDep,
    Services,
    ServicesDep,
    StreamActorDep,
    actor_of_token,
    bearer_token,
)
from counter_app.store import device_tokens, journal
from counter_app.store.auth import token_digest
from counter_app.store.office import get_branch
from counter_app.store.snapshot import queue_snapshot as store_snapshot

router = APIRouter(prefix="/api/v1/branches", tags=["live"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
REPLAY_PAGE = 500
MAX_SEQ = 2**63 - 1  # the journal's sequence is a signed 64-bit integer in the database


@router.get("/{branch_id}/snapshot", operation_id="queue_snapshot", response_model=QueueSnapshot)
def queue_snapshot(branch_id: Id, actor: ActorDep, svc: ServicesDep) -> QueueSnapshot:
    """Counters, queues and recent calls, with the journal ``seq`` they reflect."""
    actor.require_branch(branch_id)
    with svc.db.read() as session:
        snapshot = store_snapshot(session, branch_id, svc.clock())
    if svc.simulation is not None:
        snapshot = snapshot.model_copy(update={"simulation": True})
    return snapshot


def _resume_point(header: str | None, query: int | None) -> int | None:
    if query is not None:
        return query
    if header is None or header.strip() == "":
        return None
    try:
        value = int(header)
    except ValueError:
        raise invalid(
            ErrorCode.BAD_LAST_EVENT_ID, "Last-Event-ID must be a whole number."
        ) from None
    if value < 0:
        raise invalid(ErrorCode.BAD_LAST_EVENT_ID, "Last-Event-ID cannot be negative.")
    if value > MAX_SEQ:
        raise invalid(ErrorCode.BAD_LAST_EVENT_ID, "Last-Event-ID is larger than any event number.")
    return value


def _subscribe(
    request: Request, broker: Broker, branch_id: int, actor: Actor
) -> tuple[str, Subscriber]:
    """The caller's token and a new subscription that remembers whose it is: revoking the
    token or disabling the user ends the stream (``Broker.end_streams_of``)."""
    token = bearer_token(request, from_query=True)
    assert token is not None
    return token, broker.subscribe(branch_id, actor.user_id, token_digest(token), actor.device_id)


def _note_seen(svc: Services, device_id: int) -> None:
    """A device's stream opened: it is alive (its list shows when it was last seen)."""
    with svc.db.write() as session:
        device_tokens.seen(session, device_id, svc.clock())


@router.get(
    "/{branch_id}/events",
    operation_id="event_stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def event_stream(
    request: Request,
    branch_id: Id,
    actor: StreamActorDep,
    svc: ServicesDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
) -> StreamingResponse:
    """Every journal event of the branch, in order. ``id:`` is the branch sequence; reconnect
    with ``Last-Event-ID`` (or ``?after=``) to receive exactly what was missed."""
    actor.require_branch(branch_id)
    resume = _resume_point(last_event_id, after)

    broker: Broker = request.app.state.broker
    # Subscribe first, then read where the journal stands: an event committed in between is
    # then both in the queue and above ``current``, never in neither.
    token, subscriber = _subscribe(request, broker, branch_id, actor)

    def check_branch() -> int:
        with svc.db.read() as session:
            get_branch(session, branch_id)
            return journal.last_seq(session, branch_id)

    try:
        current = await run_in_threadpool(check_branch)
        if actor.device_id is not None:
            await run_in_threadpool(_note_seen, svc, actor.device_id)
        if resume is not None and resume > current:
            raise conflict(
                ErrorCode.RESUME_POINT_AHEAD,
                f"Last-Event-ID {resume} is beyond this branch's journal ({current}); "
                "the database was replaced: take a new snapshot.",
                last_seq=current,
            )
    except BaseException:
        broker.unsubscribe(subscriber)
        raise

    def replay(after_seq: int, up_to: int | None = None) -> list[bytes]:
        with svc.db.read() as session:
            events = journal.events_between(session, branch_id, after_seq, up_to, REPLAY_PAGE)
            return [encode(e) for e in events]

    async def catch_up(after_seq: int, up_to: int | None) -> AsyncIterator[tuple[int, bytes]]:
        """Committed events after ``after_seq`` (up to ``up_to``) from the journal, in pages."""
        while True:
            page = await run_in_threadpool(replay, after_seq, up_to)
            for frame in page:
                after_seq = frame_seq(frame)
                yield after_seq, frame
            if len(page) < REPLAY_PAGE:
                return

    async def frames() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 2000\n: connected\n\n"
            sent = current if resume is None else resume
            async for seq, frame in catch_up(sent, None):
                sent = seq
                yield frame
            while True:
                seq, frame = await subscriber.queue.get()
                if seq == HEARTBEAT[0]:
                    # Another process (a server process, the command line) may have
                    # revoked the token: check it at each heartbeat. This process ends
                    # its own streams at once (``Broker.end_streams_of``).
                    if await actor_of_token(svc, token, svc.clock()) is None:
                        return
                    yield frame
                    continue
                if seq == CUT_OFF[0]:
                    return
                if seq <= sent:
                    continue
                if seq > sent + 1:
                    # The broker skipped something (e.g. two writers' events arrived out of
                    # order at start-up): everything below ``seq`` is committed, so read it.
                    async for missed, missed_frame in catch_up(sent, seq - 1):
                        sent = missed
                        yield missed_frame
                sent = seq
                yield frame
        finally:
            broker.unsubscribe(subscriber)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
