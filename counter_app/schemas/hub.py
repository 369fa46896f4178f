"""The hub's wire format: a branch pushing its journal, and the hub's answers (docs/HUB.md).

``event_hash`` is shared by both ends: the hub keeps it beside each event, so a branch that
later offers the same sequence with other content (restored from an old backup) is refused.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

import orjson
from pydantic import Field

from counter_app.schemas.base import AwareIsoDatetime, Request, Response

PUSH_BATCH = 500  # events per push request; the hub refuses more than PUSH_LIMIT
PUSH_LIMIT = 2000


def event_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the event's canonical JSON (sorted keys): equal content, equal hash, on
    either end, whatever order a database gives the keys back in."""
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


class HubEvent(Request):
    seq: int = Field(ge=1)
    kind: str = Field(min_length=1, max_length=40)
    at: AwareIsoDatetime
    payload: dict[str, Any]


class BranchFigures(Request):
    """The branch's live figures at journal sequence ``seq``, sent with each push."""

    seq: int = Field(ge=0)
    waiting: int = Field(ge=0)
    open_counters: int = Field(ge=0)


class JournalPush(Request):
    events: list[HubEvent] = Field(max_length=PUSH_LIMIT)
    figures: BranchFigures | None = None


class HubCursor(Response):
    """What the hub holds of this branch: the highest contiguous sequence and its hash."""

    branch_id: int
    hub_seq: int
    last_hash: str | None = None


class PushResult(Response):
    hub_seq: int
    accepted: int


class HubLoginRequest(Request):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class HubLoginResponse(Response):
    token: str
    role: str
    region: str | None = None


class BranchStatus(Response):
    id: int
    name: str
    region: str | None
    hub_seq: int
    last_sync_at: datetime | None
    waiting: int | None
    open_counters: int | None
    figures_seq: int | None


class HubEventOut(Response):
    seq: int
    kind: str
    at: datetime
    payload: dict[str, Any]
    hash: str


HubSyncStateName = Literal["off", "starting", "synced", "behind", "down", "conflict"]


class HubSync(Response):
    """The branch's link to its hub, as /api/v1/health shows it."""

    state: HubSyncStateName
    hub_seq: int | None = None
    local_seq: int | None = None
    error: str | None = None
