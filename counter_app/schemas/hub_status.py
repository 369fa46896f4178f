"""What the hub's live ticket status stream sends (``hub_ticket_status_stream``): the facts of
the hub's ``/t/<code>`` page, small enough for a cheap phone on a slow line."""

from __future__ import annotations

from datetime import datetime

from counter_app.schemas.base import Response


class HubTicketStatus(Response):
    code: str
    number: str
    state: str  # waiting, called, serving, done, no_show, transferred, cancelled, expired
    counter_name: str | None
    counter_number: int | None
    ahead: int | None  # waiting tickets of the service that joined before; only while waiting
    now_calling: list[str]
    seq: int  # the branch's journal sequence this status is as of
    as_of: datetime  # the time of that event
    as_of_text: str  # "14.05 WIB", as the page shows it
    age_seconds: int  # how old that event was when this was sent
    stale: bool  # the office has not been heard from lately: the page shows a note
