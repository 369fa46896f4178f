"""The public satisfaction survey (SKM): the form, whether a ticket may answer, the answer.

Anonymous like the ticket status page and limited the same way: the ticket's public code
(the one in its QR) is the only key, and nothing personal is asked, stored or returned.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from counter_app.core.actor import Actor
from counter_app.schemas.survey import SurveyAnswers, SurveyForm, SurveyStatus, SurveySubmitted
from counter_app.server.api.public import Code, rate_limited
from counter_app.server.context import ServicesDep, optional_actor
from counter_app.server.responses import JsonResponse
from counter_app.store import survey

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.get("/survey", operation_id="survey_form", response_model=SurveyForm)
def survey_form() -> SurveyForm:
    """The nine elements (PermenPANRB 14/2017) with their questions and answer labels."""
    return survey.survey_form()


@router.get(
    "/tickets/{code}/survey",
    operation_id="survey_status",
    response_model=SurveyStatus,
    dependencies=[Depends(rate_limited)],
)
def survey_status(code: Code, svc: ServicesDep) -> SurveyStatus:
    """``open`` once the ticket is done, ``answered`` after its response, else ``not_available``."""
    with svc.db.read() as session:
        return survey.survey_status(session, code)


@router.post(
    "/tickets/{code}/survey",
    operation_id="submit_survey",
    status_code=201,
    response_model=SurveySubmitted,
    dependencies=[Depends(rate_limited)],
)
def submit_survey(
    code: Code,
    body: SurveyAnswers,
    svc: ServicesDep,
    actor: Annotated[Actor, Depends(optional_actor)],
) -> Response:
    """One response per ticket, after its service is done: nine answers from 1 to 4.

    Anonymous (the citizen's phone); a counter's survey screen sends its device token, so the
    response is recorded as given at the counter (and only for its own branch's tickets)."""
    now = svc.clock()
    with svc.db.write() as session:
        submitted = survey.submit_survey(session, code, body, now, actor)
    return JsonResponse.of(submitted, 201)
