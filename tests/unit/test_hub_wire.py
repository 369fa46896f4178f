"""The hub's wire format and the separation of its tables from a branch's."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from counter_app.hub import store as hub_store
from counter_app.hub.models import HubBase
from counter_app.schemas.hub import PUSH_LIMIT, JournalPush, event_hash
from counter_app.store.models import Base


def test_event_hash_ignores_key_order_but_not_content() -> None:
    one = {"seq": 1, "kind": "ticket_issued", "ticket": {"id": 3, "number": "A001"}}
    same = {"ticket": {"number": "A001", "id": 3}, "kind": "ticket_issued", "seq": 1}
    other = {"seq": 1, "kind": "ticket_issued", "ticket": {"id": 3, "number": "A002"}}
    assert event_hash(one) == event_hash(same)
    assert event_hash(one) != event_hash(other)
    assert len(event_hash(one)) == 64


def test_a_push_is_bounded_and_strict() -> None:
    event = {"seq": 1, "kind": "k", "at": "2026-12-03T08:00:00+07:00", "payload": {}}
    with pytest.raises(ValidationError):
        JournalPush.model_validate({"events": [event] * (PUSH_LIMIT + 1)})
    with pytest.raises(ValidationError):
        JournalPush.model_validate({"events": [{**event, "seq": 0}]})
    with pytest.raises(ValidationError):
        JournalPush.model_validate({"events": [event], "extra": 1})


def test_hub_tables_are_not_in_the_branch_schema() -> None:
    assert hub_store.create_schema  # every hub table is known once the hub's store is loaded
    hub = set(HubBase.metadata.tables)
    assert {
        "hub_branches",
        "hub_events",
        "hub_users",
        "hub_tokens",
        # booking from home (hub/booking_models.py)
        "hub_booking_branches",
        "hub_booking_services",
        "hub_booking_slots",
        "hub_bookings",
        "hub_booking_changes",
    } <= hub
    assert all(name.startswith("hub_") for name in hub)
    assert not hub & set(Base.metadata.tables)
