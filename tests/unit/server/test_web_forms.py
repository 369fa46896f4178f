"""The pages' form models read anything a browser sends without failing validation."""

from __future__ import annotations

from counter_app.core.ikm import ELEMENTS
from counter_app.server.web.forms import BookingPageForm, CancelPageForm, SurveyPageForm


def test_the_survey_form_has_one_field_per_element() -> None:
    names = {name for name in SurveyPageForm.model_fields if name.startswith("u")}
    assert names == {f"u{e.number}" for e in ELEMENTS}


def test_survey_answers_other_than_one_to_four_count_as_unanswered() -> None:
    form = SurveyPageForm.model_validate(
        {"u1": "4", "u2": "1", "u3": "5", "u4": "12", "u5": "", "u6": 3, "u7": "2 ", "u9": "3"}
    )
    assert form.given() == {"u1": 4, "u2": 1, "u9": 3}
    assert form.missing() == frozenset({3, 4, 5, 6, 7, 8})


def test_text_fields_are_cut_and_anything_else_reads_as_empty() -> None:
    form = BookingPageForm.model_validate({"name": "x" * 500, "nik": object(), "extra": "y"})
    assert form.name == "x" * 200 and form.nik == "" and form.csrf_token == ""
    assert form.entries() == {"slot": "", "nik": "", "name": "x" * 200}
    assert CancelPageForm.model_validate({"nik": " 12 " + "3" * 50}).nik == "12 " + "3" * 36
