"""Satisfaction survey responses: one per visible ticket, once its service is done.

A ticket code names a whole transfer chain (each transfer continues the same code in a new
row). The chain is answered once: by its code, when its last row is ``done``, and the
response counts for the service that finished it. A chain whose last row ended otherwise
(no-show, cancelled, expired) was not served and is not surveyed.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from counter_app.core.actor import ANONYMOUS, Actor
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict
from counter_app.core.ikm import ELEMENTS, SCALE
from counter_app.core.numbering import format_number
from counter_app.core.states import TicketState
from counter_app.schemas.survey import (
    SurveyAnswers,
    SurveyElementOut,
    SurveyForm,
    SurveyState,
    SurveyStatus,
    SurveySubmitted,
)
from counter_app.store.models import Service, SurveyResponse, Ticket
from counter_app.store.upsert import insert_for

# Where a response was given (``survey_responses.channel``, docs/REPORTS.md):
WEB = "web"  # the citizen's own phone: the status page's form, or the public API without a token
COUNTER = "counter"  # a survey screen of the office at a counter (a device or staff token)


def survey_form() -> SurveyForm:
    return SurveyForm(
        scale=list(SCALE),
        elements=[
            SurveyElementOut(
                number=e.number,
                code=e.code,
                name=e.name,
                question=e.question,
                labels=list(e.labels),
            )
            for e in ELEMENTS
        ],
    )


def _chain(session: Session, code: str) -> tuple[Ticket, Ticket]:
    """The first (issued) and the last row of the ticket with this public code."""
    rows = session.scalars(
        select(Ticket).where(Ticket.code == code.upper()).order_by(Ticket.id)
    ).all()
    if not rows:
        raise AppError(ErrorCode.TICKET_NOT_FOUND, "No ticket has this code.")
    return rows[0], rows[-1]


def _answered(session: Session, first: Ticket) -> bool:
    return bool(session.scalar(select(exists().where(SurveyResponse.ticket_id == first.id))))


def survey_status(session: Session, code: str) -> SurveyStatus:
    first, last = _chain(session, code)
    if _answered(session, first):
        state = SurveyState.ANSWERED
    elif last.state == TicketState.DONE.value:
        state = SurveyState.OPEN
    else:
        state = SurveyState.NOT_AVAILABLE
    return SurveyStatus(
        code=first.code,
        number=format_number(last.prefix, last.number),
        ticket_state=TicketState(last.state),
        survey=state,
    )


@cache
def _insert_statement(dialect: str) -> Any:
    insert = insert_for(dialect)
    return (
        insert(SurveyResponse)
        .on_conflict_do_nothing(index_elements=["ticket_id"])
        .returning(SurveyResponse.id)
    )


def submit_survey(
    session: Session,
    code: str,
    answers: SurveyAnswers,
    now: datetime,
    actor: Actor = ANONYMOUS,
) -> SurveySubmitted:
    """Store the answers; anonymous answers come from the web, signed ones from a counter's
    survey screen, which answers only for tickets of its own branch."""
    first, last = _chain(session, code)
    number = format_number(last.prefix, last.number)
    channel = WEB
    if not actor.is_anonymous:
        actor.require_branch(last.branch_id)
        channel = COUNTER
    if last.state != TicketState.DONE.value:
        raise conflict(
            ErrorCode.TICKET_NOT_DONE,
            f"Ticket {number} is {last.state}; the survey opens once its service is done.",
            state=last.state,
        )
    values = answers.values()
    row: dict[str, Any] = {
        "branch_id": last.branch_id,
        "service_id": last.service_id,
        "ticket_id": first.id,
        "service_day": first.service_day,
        "submitted_at": now,
        "channel": channel,
    }
    row.update({f"u{i}": value for i, value in enumerate(values, start=1)})
    # ON CONFLICT DO NOTHING: of two answers sent at once, one is stored and the other told.
    stored = session.execute(_insert_statement(session.get_bind().dialect.name), row).first()
    if stored is None:
        raise conflict(
            ErrorCode.SURVEY_ALREADY_ANSWERED,
            f"The survey for ticket {number} has already been answered.",
        )
    service = session.get(Service, last.service_id)
    return SurveySubmitted(
        code=first.code,
        number=number,
        service_name=service.name if service else "",
        submitted_at=now,
    )
