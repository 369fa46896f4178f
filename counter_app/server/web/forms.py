"""The pages' forms as models (FastAPI form models: ``Annotated[Model, Form()]``).

Every field takes whatever a browser sends and never fails validation: text is cut to a
sane length, anything else (a file) reads as empty. The rules proper (a NIK's digits, a
slot that exists, an answer for every question) are checked by the pages and the store, which
answer with an Indonesian message on the page, never with a validation error.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from counter_app.core.ikm import ELEMENTS

TEXT_LIMIT = 200
NIK_LIMIT = 40
ANSWERS = ("1", "2", "3", "4")


def _text(limit: int, *, strip: bool = False) -> BeforeValidator:
    def read(value: Any) -> str:
        text = value[:limit] if isinstance(value, str) else ""
        return text.strip() if strip else text

    return BeforeValidator(read)


def _answer(value: Any) -> int | None:
    """One survey answer: "1" to "4", anything else is no answer."""
    return int(value) if isinstance(value, str) and value in ANSWERS else None


Text = Annotated[str, _text(TEXT_LIMIT)]
Answer = Annotated[int | None, BeforeValidator(_answer)]


class PageForm(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    csrf_token: Text = ""


class BookingPageForm(PageForm):
    """The slot page's form: a slot, and who books it."""

    slot: Text = ""
    nik: Text = ""
    name: Text = ""

    def entries(self) -> dict[str, str]:
        """What was typed, to show again with a message."""
        return {"slot": self.slot, "nik": self.nik, "name": self.name}


class CancelPageForm(PageForm):
    """The booking page's cancel form: the NIK, unless the browser holds the cancel token."""

    nik: Annotated[str, _text(NIK_LIMIT, strip=True)] = ""
    # "1" from the confirmation page's button; the first button only asks to confirm.
    confirmed: Annotated[bool, BeforeValidator(lambda value: value == "1")] = False


class SurveyPageForm(PageForm):
    """The status page's survey: one answer (1..4) per element, U1..U9."""

    u1: Answer = None
    u2: Answer = None
    u3: Answer = None
    u4: Answer = None
    u5: Answer = None
    u6: Answer = None
    u7: Answer = None
    u8: Answer = None
    u9: Answer = None

    def given(self) -> dict[str, int]:
        """The answers given, by field name ("u1": 4, …)."""
        found = {f"u{e.number}": getattr(self, f"u{e.number}") for e in ELEMENTS}
        return {name: value for name, value in found.items() if value is not None}

    def missing(self) -> frozenset[int]:
        """The numbers of the questions left unanswered."""
        return frozenset(e.number for e in ELEMENTS if getattr(self, f"u{e.number}") is None)
