"""The hub's wire format: a branch pushing its journal, and the hub's answers (docs/HUB.md).

``event_hash`` is shared by both ends: the hub keeps it beside each event, so a branch that
later offers the same sequence with other content (restored from an old backup) is refused.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any, Literal

import orjson
from pydantic import Field

from counter_app.schemas.base import AwareIsoDatetime, IsoDate, Request, Response
from counter_app.schemas.reports import FiguresOut, IkmOut, ReportSummary

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


# The branch's link as /api/v1/health shows it is in schemas.hub_sync: a server without a hub
# never loads the models here.

# --- the report feed and the regional view (docs/HUB.md, "Regional view and reports") ------


class ProfileService(Request):
    id: int
    prefix: str = Field(max_length=10)
    name: str = Field(max_length=200)
    target_wait_minutes: int = Field(ge=0)


class ProfileCounter(Request):
    id: int
    number: int
    name: str = Field(max_length=200)


class ProfileOfficer(Request):
    id: int
    name: str = Field(max_length=200)


class BranchProfile(Request):
    """The branch's set-up the hub's reports need (not in the journal)."""

    name: str = Field(max_length=200)
    timezone: str = Field(min_length=1, max_length=64)
    services: list[ProfileService] = Field(max_length=500)
    counters: list[ProfileCounter] = Field(max_length=500)
    officers: list[ProfileOfficer] = Field(max_length=5000)


class SurveyDaySums(Request):
    """The survey answers of one service day and service: their number and U1..U9 sums."""

    service_day: IsoDate
    service_id: int
    responses: int = Field(ge=0)
    sums: list[int] = Field(min_length=9, max_length=9)


class ReportFeed(Request):
    """``push_report_feed``: the set-up (when it changed) and survey sums of the days that
    received answers; each day's sums replace what the hub held for it."""

    profile: BranchProfile | None = None
    surveys: list[SurveyDaySums] = Field(default_factory=list, max_length=20_000)


class FeedResult(Response):
    profile: bool
    survey_days: int


class HubBranchReport(Response):
    """One branch in ``hub_report``: its report computed from the hub's copy of its journal.
    ``report`` is ``None`` until the branch has sent its set-up (``push_report_feed``)."""

    branch_id: int
    name: str
    region: str | None
    hub_seq: int
    last_sync_at: datetime | None
    report: ReportSummary | None


class HubCombined(Response):
    """The branches together: every visit pooled (so the percentile and shares are of all
    visits, not an average of branches), arrivals by each branch's local hour, one IKM."""

    branches: int
    total: FiguresOut
    arrivals_by_hour: list[int]
    survey: IkmOut


class HubReport(Response):
    first_day: date
    last_day: date
    generated_at: datetime
    combined: HubCombined
    branches: list[HubBranchReport]


class DashboardRow(Response):
    """One branch on the regional dashboard (``hub_dashboard``)."""

    branch_id: int
    name: str
    region: str | None
    service_day: date | None  # the branch's today (its time zone), once its set-up is known
    waiting: int | None  # live figures: sent by the branch with its latest push
    open_counters: int | None
    longest_wait_seconds: float | None  # from the journal: the oldest ticket still waiting
    issued: int
    served: int
    no_show: int
    called: int
    within_target: int
    within_target_share: float | None  # of today's visits called, 0..1
    mean_wait_seconds: float | None
    last_sync_at: datetime | None
    sync_age_seconds: float | None
    freshness: Literal["fresh", "stale", "offline", "never"]


class HubDashboard(Response):
    generated_at: datetime
    stale_after_seconds: int
    offline_after_seconds: int
    branches: list[DashboardRow]
