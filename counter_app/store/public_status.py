"""What the public ticket status page (``/t/<code>``) shows, read in one session: the ticket's
status, its office's time zone and whether its satisfaction survey can be answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from counter_app.core.states import TicketState
from counter_app.schemas.survey import SurveyState
from counter_app.schemas.tickets import TicketStatus
from counter_app.store.models import Branch
from counter_app.store.snapshot import latest_by_code, ticket_status
from counter_app.store.survey import survey_status

DEFAULT_TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class StatusPage:
    ticket: TicketStatus
    timezone: str  # the office's, for the times shown
    survey: SurveyState  # NOT_AVAILABLE until the service is done


def status_page(session: Session, code: str, now: datetime) -> StatusPage:
    """The status page of the ticket ``code``; raises ``AppError`` (not found) for no ticket."""
    ticket = ticket_status(session, code, now)
    branch = session.get(Branch, latest_by_code(session, code).branch_id)
    survey = (
        survey_status(session, code).survey
        if ticket.state is TicketState.DONE
        else SurveyState.NOT_AVAILABLE
    )
    return StatusPage(
        ticket=ticket,
        timezone=branch.timezone if branch is not None else DEFAULT_TIMEZONE,
        survey=survey,
    )
