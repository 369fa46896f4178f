"""The satisfaction survey (SKM) on the wire: the form, one response, and what is answered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from counter_app.core.states import TicketState
from counter_app.schemas.base import Request, Response

# Strict: "4", 4.5 and true are refused, not coerced.
Answer = Annotated[int, Field(strict=True, ge=1, le=4)]


class SurveyAnswers(Request):
    """One answer per element, 1 (worst) to 4 (best), keyed U1..U9 as the regulation numbers
    them: u1 Persyaratan … u9 Sarana dan Prasarana (see ``survey_form``)."""

    u1: Answer
    u2: Answer
    u3: Answer
    u4: Answer
    u5: Answer
    u6: Answer
    u7: Answer
    u8: Answer
    u9: Answer

    def values(self) -> tuple[int, ...]:
        return (self.u1, self.u2, self.u3, self.u4, self.u5, self.u6, self.u7, self.u8, self.u9)


class SurveyElementOut(Response):
    number: int
    code: str  # "U1"
    name: str  # "Persyaratan"
    question: str
    labels: list[str]  # the answers for 1, 2, 3, 4


class SurveyForm(Response):
    scale: list[int]
    elements: list[SurveyElementOut]


class SurveyState(StrEnum):
    OPEN = "open"  # the ticket is done and nobody has answered for it yet
    ANSWERED = "answered"
    NOT_AVAILABLE = "not_available"  # not done (yet, or ever: no-show, cancelled, expired)


class SurveyStatus(Response):
    code: str
    number: str
    ticket_state: TicketState
    survey: SurveyState


class SurveySubmitted(Response):
    code: str
    number: str
    service_name: str
    submitted_at: datetime
