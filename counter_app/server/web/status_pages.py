"""The ticket status page (``/t/<code>``): number, state, people ahead and the wait, live
through a few lines of script (and a refresh without it); once the service is done, the
satisfaction survey's form (``web.survey_pages`` takes its answers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict
from counter_app.core.ikm import ELEMENTS
from counter_app.schemas.survey import SurveyState
from counter_app.server.api.public import FINAL_STATES, check_rate
from counter_app.server.context import Services, app_services
from counter_app.server.web import texts
from counter_app.server.web.html import PageRoute, error_page, html
from counter_app.store.public_status import status_page

router = APIRouter(include_in_schema=False, route_class=PageRoute)
TicketCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4,16}$")]


def show_status(
    request: Request,
    code: str,
    *,
    failure: AppError | None = None,
    answers: dict[str, int] | None = None,
    missing: frozenset[int] = frozenset(),
) -> Response:
    """The status page; ``failure`` is a refused survey answer, shown above the form with the
    answers given kept (and the unanswered questions marked)."""
    svc: Services = app_services(request)
    try:
        with svc.db.read() as session:
            shown = status_page(session, code, svc.clock())
    except AppError:
        error = AppError(ErrorCode.TICKET_NOT_FOUND, "No such ticket.")
        return error_page(request, error)
    state = shown.survey
    if failure is not None and failure.code is ErrorCode.SURVEY_INCOMPLETE:
        # An incomplete form for a ticket that cannot answer (now): say why not instead.
        if state is SurveyState.ANSWERED:
            failure = None
        elif state is SurveyState.NOT_AVAILABLE:
            failure = conflict(
                ErrorCode.TICKET_NOT_DONE, "The survey opens once the service is done."
            )
    return html(
        request,
        "status.html",
        status=failure.status if failure else 200,
        ticket=shown.ticket,
        final=shown.ticket.state in FINAL_STATES,
        labels=texts.TICKET_STATES,
        zone=shown.timezone,
        survey=state.value,
        elements=ELEMENTS,
        answers=answers or {},
        missing=missing if failure else frozenset(),
        survey_error=texts.message_for(failure) if failure else None,
    )


@router.get("/t/{code}")
def ticket_page(code: TicketCode, request: Request) -> Response:
    check_rate(request)
    return show_status(request, code)
