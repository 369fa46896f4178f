"""Request bodies refuse type confusion (JSON's true, "1" or 1.0 for a number), while dates
as ISO text, enumerations by value and Python callers' native values still pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from counter_app.core.vocabulary import CounterState, Role, TicketSource
from counter_app.schemas.auth import DeviceCreate, UserCreate
from counter_app.schemas.base import Request
from counter_app.schemas.booking import BookingCreate
from counter_app.schemas.office import (
    BookingSettings,
    BranchCreate,
    CounterStateRequest,
    HolidayCreate,
    ServiceCreate,
)
from counter_app.schemas.survey import SurveyAnswers
from counter_app.schemas.tickets import CallNextRequest, IssueTicketRequest, TransferRequest

SLOT = "2027-01-04T09:00:00+07:00"
BOOKING = {"service_id": 1, "slot_start": SLOT, "nik": "3171", "name": "Budi"}
ANSWERS = {f"u{i}": 4 for i in range(1, 10)}


def as_body(model: type[Request], data: Any) -> Request:
    """Validate as FastAPI does: the parsed JSON body as Python objects."""
    return TypeAdapter(model).validate_python(data)


CONFUSED: list[tuple[type[Request], dict[str, Any]]] = [
    (IssueTicketRequest, {"service_id": True}),
    (IssueTicketRequest, {"service_id": False}),
    (IssueTicketRequest, {"service_id": "1"}),
    (IssueTicketRequest, {"service_id": 1.0}),
    (IssueTicketRequest, {"service_id": "0x1"}),
    (IssueTicketRequest, {"service_id": 1, "priority_class_id": "1"}),
    (IssueTicketRequest, {"service_id": 1, "source": 0}),
    (IssueTicketRequest, {"service_id": 1, "source": ["kiosk"]}),
    (CallNextRequest, {"finish_current": 1}),
    (CallNextRequest, {"finish_current": "yes"}),
    (CallNextRequest, {"finish_current": "true"}),
    (TransferRequest, {"service_id": True}),
    (TransferRequest, {"counter_id": "2"}),
    (TransferRequest, {"service_id": 2, "note": 5}),
    (CounterStateRequest, {"state": 1}),
    (CounterStateRequest, {"state": "open", "reason": False}),
    (BookingCreate, {**BOOKING, "service_id": "1"}),
    (BookingCreate, {**BOOKING, "slot_start": 1799999999}),
    (BookingCreate, {**BOOKING, "slot_start": 1799999999.5}),
    (BookingCreate, {**BOOKING, "nik": 3171010101010001}),
    (BookingCreate, {**BOOKING, "name": 812345678}),
    (HolidayCreate, {"day": 20270101}),
    (HolidayCreate, {"day": True}),
    (HolidayCreate, {"day": "2027-01-01", "name": 1}),
    (BranchCreate, {"code": "x", "name": "X", "priority_run": "2"}),
    (BranchCreate, {"code": "x", "name": "X", "opening_hours": {"mon": ["08:00", 1600]}}),
    (BranchCreate, {"code": "x", "name": "X", "multi_service_rule": 1}),
    (BookingSettings, {"enabled": 1}),
    (BookingSettings, {"enabled": "true"}),
    (BookingSettings, {"capacity": 4.0}),
    (ServiceCreate, {"branch_id": 1, "prefix": "A", "name": "X", "booking": {"enabled": "1"}}),
    (UserCreate, {"username": "u", "role": "officer", "password": 12345678}),
    (UserCreate, {"username": "u", "role": "officer", "password": "x" * 8, "counter_ids": ["1"]}),
    (DeviceCreate, {"branch_id": 1, "kind": 1, "name": "K"}),
    (SurveyAnswers, {**ANSWERS, "u1": "4"}),
    (SurveyAnswers, {**ANSWERS, "u1": 4.0}),
]


@pytest.mark.parametrize(("model", "data"), CONFUSED)
def test_type_confusion_is_refused(model: type[Request], data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        as_body(model, data)


def test_json_values_for_dates_and_enumerations_pass() -> None:
    booking = as_body(BookingCreate, BOOKING)
    assert isinstance(booking, BookingCreate)
    assert booking.slot_start == dt.datetime(2027, 1, 4, 2, tzinfo=dt.UTC)
    holiday = as_body(HolidayCreate, {"day": "2027-01-01"})
    assert isinstance(holiday, HolidayCreate) and holiday.day == dt.date(2027, 1, 1)
    issue = as_body(IssueTicketRequest, {"service_id": 1, "source": "online"})
    assert isinstance(issue, IssueTicketRequest) and issue.source is TicketSource.ONLINE
    state = as_body(CounterStateRequest, {"state": "open"})
    assert isinstance(state, CounterStateRequest) and state.state is CounterState.OPEN
    branch = as_body(
        BranchCreate, {"code": "x", "name": "X", "opening_hours": {"mon": ["08:00", "16:00"]}}
    )
    assert isinstance(branch, BranchCreate) and branch.opening_hours["mon"] == ("08:00", "16:00")
    user = as_body(UserCreate, {"username": "u", "role": "admin", "password": "x" * 8})
    assert isinstance(user, UserCreate) and user.role is Role.ADMIN


def test_python_callers_may_pass_native_values() -> None:
    """The clients build these models with dates, members and tuples, then send their JSON."""
    assert HolidayCreate(day=dt.date(2027, 1, 1)).model_dump(mode="json")["day"] == "2027-01-01"
    slot = dt.datetime(2027, 1, 4, 2, tzinfo=dt.UTC)
    booking = BookingCreate(service_id=1, slot_start=slot, nik="1", name="a")
    assert booking.slot_start == slot
    branch = BranchCreate(code="x", name="X", opening_hours={"mon": ("08:00", "16:00")})
    assert branch.model_dump(mode="json")["opening_hours"] == {"mon": ["08:00", "16:00"]}
    assert UserCreate(username="u", role=Role.OFFICER, password="x" * 8).role is Role.OFFICER
    # What a client sends validates as a body again.
    for model in (branch, booking):
        assert as_body(type(model), model.model_dump(mode="json")) == model
