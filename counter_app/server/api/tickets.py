"""Issuing tickets and moving them through their states."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from counter_app.core.states import Action
from counter_app.schemas.tickets import IssueTicketRequest, TicketOut, TransferRequest
from counter_app.server.context import ActorDep, ServicesDep, WriterDep
from counter_app.store.snapshot import ticket_seen_by
from counter_app.store.tickets import actions, issuing

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])
Id = Annotated[int, Path(ge=1, le=2**62)]


@router.post("", operation_id="issue_ticket", status_code=201, response_model=TicketOut)
async def issue_ticket(body: IssueTicketRequest, writer: WriterDep) -> Response:
    """Take a number: returns it with the people ahead and the estimated wait."""
    return await writer.run(
        lambda s, now: issuing.issue_ticket(s, body, writer.actor, now),
        request_body=body,
        status=201,
    )


@router.get("/{ticket_id}", operation_id="get_ticket", response_model=TicketOut)
def get_ticket(ticket_id: Id, actor: ActorDep, svc: ServicesDep) -> TicketOut:
    with svc.db.read() as session:
        return ticket_seen_by(session, ticket_id, actor, svc.clock())


def _action_route(action: Action, operation_id: str, doc: str) -> None:
    async def route(ticket_id: Id, writer: WriterDep) -> Response:
        return await writer.run(lambda s, now: actions.act(s, ticket_id, action, writer.actor, now))

    route.__doc__ = doc
    router.add_api_route(
        f"/{{ticket_id}}/{action.value}",
        route,
        methods=["POST"],
        operation_id=operation_id,
        response_model=TicketOut,
        name=operation_id,
    )


_action_route(Action.RECALL, "recall_ticket", "Call the ticket again (it is announced once more).")
_action_route(
    Action.START, "start_service", "The citizen has arrived at the counter: start serving."
)
_action_route(Action.FINISH, "finish_ticket", "Service is done.")
_action_route(Action.SKIP, "skip_ticket", "The citizen did not come: mark as no-show.")
_action_route(Action.RETURN, "return_ticket", "Put a called ticket back in the queue at its place.")


@router.post("/{ticket_id}/transfer", operation_id="transfer_ticket", response_model=TicketOut)
async def transfer_ticket(ticket_id: Id, body: TransferRequest, writer: WriterDep) -> Response:
    """Continue the ticket, same number, in another service's queue or at a named counter."""
    return await writer.run(
        lambda s, now: actions.transfer(s, ticket_id, body, writer.actor, now), request_body=body
    )


@router.post("/{ticket_id}/cancel", operation_id="cancel_ticket", response_model=TicketOut)
async def cancel_ticket(ticket_id: Id, writer: WriterDep) -> Response:
    return await writer.run(lambda s, now: actions.cancel(s, ticket_id, writer.actor, now))


@router.post("/{ticket_id}/front", operation_id="move_ticket_to_front", response_model=TicketOut)
async def move_ticket_to_front(ticket_id: Id, writer: WriterDep) -> Response:
    """A supervisor moves a waiting ticket to the front of its queue: it is called next."""
    return await writer.run(lambda s, now: actions.move_to_front(s, ticket_id, writer.actor, now))


@router.post("/{ticket_id}/undo-skip", operation_id="undo_skip", response_model=TicketOut)
async def undo_skip(ticket_id: Id, writer: WriterDep) -> Response:
    """Take back a skip made moments ago: the ticket is the counter's called ticket again.

    Only within a few seconds of the skip (``core.states.UNDO_SKIP_SECONDS``); later, call the
    number back with ``call_ticket`` (within the service's ``no_show_recall_minutes``)."""
    return await writer.run(lambda s, now: actions.undo_skip(s, ticket_id, writer.actor, now))
