"""The status page's satisfaction survey form (``POST /t/<code>/survei``): the same store
function as the API's ``submit_survey``. Success, and an answer already given, lead back to
the status page, which then says thank you; a refused form is shown again with its answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, invalid
from counter_app.schemas.survey import SurveyAnswers
from counter_app.server.api.public import check_rate
from counter_app.server.context import Services, app_services
from counter_app.server.web.forms import SurveyPageForm
from counter_app.server.web.html import PageRoute, check_csrf, error_page
from counter_app.server.web.status_pages import TicketCode, show_status
from counter_app.store import survey

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.post("/t/{code}/survei")
async def answer_survey(
    code: TicketCode, form: Annotated[SurveyPageForm, Form()], request: Request
) -> Response:
    svc: Services = app_services(request)
    given, missing = form.given(), form.missing()
    try:
        check_rate(request)
    except AppError as error:
        return error_page(request, error, back=f"/t/{code.upper()}")
    try:
        check_csrf(request, form.csrf_token, rate_checked=True)
        if missing:
            numbers = ", ".join(str(n) for n in sorted(missing))
            raise invalid(ErrorCode.SURVEY_INCOMPLETE, f"Unanswered: {numbers}.", numbers=numbers)
        answers = SurveyAnswers.model_validate(given)

        def store() -> None:
            with svc.db.write() as session:
                survey.submit_survey(session, code, answers, svc.clock())

        await run_in_threadpool(store)
    except AppError as error:
        if error.code is not ErrorCode.SURVEY_ALREADY_ANSWERED:
            failure = error
            return await run_in_threadpool(
                lambda: show_status(request, code, failure=failure, answers=given, missing=missing)
            )
    return RedirectResponse(f"/t/{code.upper()}#survei", status_code=303)
