"""Acting for a counter: open/break/close, call the next ticket, call a given one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from counter_app.schemas.office import CounterOut, CounterStateRequest, CounterToday
from counter_app.schemas.tickets import (
    CallNextRequest,
    CallNextResponse,
    CallTicketRequest,
    TicketOut,
)
from counter_app.server.context import ActorDep, ServicesDep, WriterDep
from counter_app.store.booking.wire import named_call, with_booking_name
from counter_app.store.counter_stats import counter_today as store_counter_today
from counter_app.store.counters import set_counter_state as store_set_counter_state
from counter_app.store.office import get_counter
from counter_app.store.tickets import calling

router = APIRouter(prefix="/api/v1/counters", tags=["counters"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/{counter_id}/state", operation_id="set_counter_state", response_model=CounterOut)
async def set_counter_state(
    counter_id: Id, body: CounterStateRequest, writer: WriterDep
) -> Response:
    return await writer.run(
        lambda s, now: store_set_counter_state(s, counter_id, body, writer.actor, now),
        request_body=body,
    )


@router.post("/{counter_id}/call-next", operation_id="call_next", response_model=CallNextResponse)
async def call_next(
    counter_id: Id, writer: WriterDep, body: CallNextRequest | None = None
) -> Response:
    """Call the next ticket by the branch's call order; ``ticket`` is null when nobody waits."""
    request = body or CallNextRequest()
    return await writer.run(
        lambda s, now: named_call(
            s,
            calling.call_next(
                s, counter_id, writer.actor, now, finish_current=request.finish_current
            ),
        ),
        request_body=request,
    )


@router.post("/{counter_id}/call", operation_id="call_ticket", response_model=TicketOut)
async def call_ticket(counter_id: Id, body: CallTicketRequest, writer: WriterDep) -> Response:
    return await writer.run(
        lambda s, now: with_booking_name(
            s, calling.call_ticket(s, counter_id, body, writer.actor, now)
        ),
        request_body=body,
    )


@router.get("/{counter_id}/today", operation_id="counter_today", response_model=CounterToday)
def counter_today(counter_id: Id, actor: ActorDep, svc: ServicesDep) -> CounterToday:
    """This counter's figures for the current service day: served, no-show, average time."""
    with svc.db.read() as session:
        actor.require_branch(get_counter(session, counter_id).branch_id)
        return store_counter_today(session, counter_id, svc.clock())
