"""The hub's reports and regional dashboard, computed from the branches' journal copies
(docs/HUB.md, "Regional view and reports").

The visits come from ``core.journal_visits`` (the events read as ``store.reports`` reads the
tables), the figures from ``core.reports.summarise_records`` and the wire report from
``store.reports.build_summary``: one definition of every figure, on the branch and here.
What the journal does not hold comes from the branch's report feed (``push_report_feed``):
its set-up (time zone, services with their target waits, counters, officers' names) and its
survey sums per service day.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from cachetools import LRUCache
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from counter_app.core.error_codes import ErrorCode
from counter_app.core.ikm import ELEMENT_COUNT, ikm_from_sums
from counter_app.core.journal_visits import JournalVisits
from counter_app.core.reports import Figures, Report, summarise_records
from counter_app.hub.models import HubBranch, HubBranchProfile, HubSurveySums
from counter_app.hub.store import HubActor, HubRefusalError, _visible
from counter_app.schemas.hub import (
    BranchProfile,
    DashboardRow,
    FeedResult,
    HubBranchReport,
    HubCombined,
    HubDashboard,
    HubReport,
    ReportFeed,
)
from counter_app.schemas.reports import FiguresOut, ReportSummary
from counter_app.store.reports import _figures, _ikm_out, build_summary, check_range

DEFAULT_ZONE = "Asia/Jakarta"
# A branch pushes at least every 15 s while it runs (server.hub_push.HEARTBEAT_SECONDS): its
# row turns "stale" after a minute without news, "offline" after five (the environment may
# say otherwise, as the end-to-end tests do).
STALE_AFTER_SECONDS = int(os.environ.get("COUNTER_APP_HUB_STALE_SECONDS", "60"))
OFFLINE_AFTER_SECONDS = int(os.environ.get("COUNTER_APP_HUB_OFFLINE_SECONDS", "300"))

# Only the fields core.journal_visits reads, as text: decoding whole payloads (names, notes,
# the counter's services ...) cost most of a dashboard's first read (docs/PERFORMANCE.md).
_FIELDS = (
    "ticket,id",
    "ticket,service_id",
    "ticket,service_day",
    "ticket,state",
    "ticket,training",
    "ticket,transferred_from_id",
    "ticket,enqueued_at",
    "ticket,call_count",
    "counter,id",
    "user_id",
    "at",
)
_TICKETS_OF_DAYS = text(
    "SELECT seq, kind, "
    + ", ".join(f"payload #>> '{{{path}}}'" for path in _FIELDS)
    + " FROM hub_events WHERE branch_id = :branch "
    "AND (payload #>> '{ticket,service_day}') BETWEEN :first AND :last "
    "AND seq > :after AND seq <= :upto ORDER BY seq"
)
_COUNTER_CHANGES = text(
    "SELECT seq, payload FROM hub_events WHERE branch_id = :branch "
    "AND kind = 'counter.state' ORDER BY seq"
)


# --- the branch's report feed -------------------------------------------------------------


def store_feed(session: Session, branch_id: int, feed: ReportFeed, now: datetime) -> FeedResult:
    """Keep the branch's set-up (latest wins) and replace its survey sums day by day."""
    if feed.profile is not None:
        session.execute(
            pg_insert(HubBranchProfile)
            .values(branch_id=branch_id, profile=feed.profile.model_dump(), updated_at=now)
            .on_conflict_do_update(
                index_elements=[HubBranchProfile.branch_id],
                set_={"profile": feed.profile.model_dump(), "updated_at": now},
            )
        )
    if feed.surveys:
        rows = [
            {
                "branch_id": branch_id,
                "service_day": s.service_day,
                "service_id": s.service_id,
                "responses": s.responses,
                "sums": s.sums,
            }
            for s in feed.surveys
        ]
        statement = pg_insert(HubSurveySums)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    HubSurveySums.branch_id,
                    HubSurveySums.service_day,
                    HubSurveySums.service_id,
                ],
                set_={"responses": statement.excluded.responses, "sums": statement.excluded.sums},
            ),
            rows,
        )
    days = len({s.service_day for s in feed.surveys})
    return FeedResult(profile=feed.profile is not None, survey_days=days)


def profile_of(session: Session, branch_id: int) -> BranchProfile | None:
    found = session.scalar(
        select(HubBranchProfile.profile).where(HubBranchProfile.branch_id == branch_id)
    )
    return None if found is None else BranchProfile.model_validate(found, strict=False)


def _profiles(session: Session, branch_ids: list[int]) -> dict[int, tuple[BranchProfile, datetime]]:
    """Several branches' set-ups in one query, with the time each was last sent."""
    if not branch_ids:
        return {}
    rows = session.execute(
        select(
            HubBranchProfile.branch_id, HubBranchProfile.profile, HubBranchProfile.updated_at
        ).where(HubBranchProfile.branch_id.in_(branch_ids))
    )
    return {
        int(bid): (BranchProfile.model_validate(found, strict=False), at) for bid, found, at in rows
    }


def _survey_sums(
    session: Session, branch_id: int, first: date, last: date
) -> dict[int, tuple[int, list[int]]]:
    totals: dict[int, tuple[int, list[int]]] = {}
    for service_id, responses, sums in session.execute(
        select(HubSurveySums.service_id, HubSurveySums.responses, HubSurveySums.sums).where(
            HubSurveySums.branch_id == branch_id,
            HubSurveySums.service_day >= first,
            HubSurveySums.service_day <= last,
        )
    ):
        count, running = totals.get(int(service_id), (0, [0] * ELEMENT_COUNT))
        totals[int(service_id)] = (
            count + int(responses),
            [a + int(b) for a, b in zip(running, sums, strict=True)],
        )
    return totals


# --- which branches -----------------------------------------------------------------------


def visible_branches(
    session: Session, actor: HubActor, branch_id: int | None = None
) -> Sequence[HubBranch]:
    """The branches ``actor`` may see (one of them with ``branch_id``; another is refused
    as unknown, so a supervisor learns nothing of other regions' branches)."""
    query = select(HubBranch).where(*_visible(actor)).order_by(HubBranch.name, HubBranch.id)
    if branch_id is not None:
        query = query.where(HubBranch.id == branch_id)
    branches = session.scalars(query).all()
    if branch_id is not None and not branches:
        raise HubRefusalError(ErrorCode.BRANCH_NOT_FOUND, f"no branch {branch_id} here")
    return branches


# --- reading a branch's journal copy ------------------------------------------------------


def _events(
    session: Session,
    branch_id: int,
    first: date,
    last: date,
    after: int = 0,
    upto: int = 2**62,
) -> Iterable[dict[str, Any]]:
    bounds = {"first": first.isoformat(), "last": last.isoformat(), "after": after, "upto": upto}
    rows = session.execute(_TICKETS_OF_DAYS, {"branch": branch_id, **bounds})
    for seq, kind, tid, sid, day, state, training, moved, queued, calls, cid, uid, at in rows:
        yield {
            "seq": int(seq),
            "kind": kind,
            "at": at,
            "ticket": {
                "id": _int(tid),
                "service_id": _int(sid),
                "service_day": day,
                "state": state,
                "training": training == "true",
                "transferred_from_id": _int(moved),
                "enqueued_at": queued,
                "call_count": _int(calls),
            },
            "counter": None if cid is None else {"id": _int(cid)},
            "user_id": _int(uid),
        }


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def journal_visits(session: Session, branch_id: int, first: date, last: date) -> JournalVisits:
    """The visits of the service days ``first``..``last`` and who held the counters."""
    visits = JournalVisits(first, last).extend(_events(session, branch_id, first, last))
    for seq, payload in session.execute(_COUNTER_CHANGES, {"branch": branch_id}):
        event = dict(payload)
        event["seq"] = int(seq)
        visits.add(event)
    return visits


def _targets(profile: BranchProfile | None) -> dict[int, float]:
    if profile is None:
        return {}
    return {s.id: s.target_wait_minutes * 60.0 for s in profile.services}


def _zone(profile: BranchProfile | None) -> str:
    return profile.timezone if profile is not None else DEFAULT_ZONE


# --- reports ------------------------------------------------------------------------------


def branch_summary(
    visits: JournalVisits,
    profile: BranchProfile,
    survey_sums: dict[int, tuple[int, list[int]]],
    first: date,
    last: date,
    now: datetime,
    *,
    branch_id: int,
    name: str,
) -> tuple[ReportSummary, Report, list[tuple[Any, ...]]]:
    """One branch's report from its journal's visits, its set-up and its survey sums: the
    branch's own ``report_summary`` for the same days, figure for figure."""
    records = visits.records()
    report = summarise_records(
        records, _targets(profile), profile.timezone, visits.holders().holder
    )
    summary = build_summary(
        report,
        branch_id=branch_id,
        branch_name=name,
        timezone=profile.timezone,
        first=first,
        last=last,
        now=now,
        services=[(s.id, s.prefix, s.name, s.target_wait_minutes) for s in profile.services],
        counters=[(c.id, c.number, c.name) for c in profile.counters],
        officer_names={o.id: o.name for o in profile.officers},
        survey_sums=survey_sums,
    )
    return summary, report, records


def hub_report(
    session: Session,
    actor: HubActor,
    first: date,
    last: date,
    now: datetime,
    branch_id: int | None = None,
) -> HubReport:
    """Every visible branch's report for the service days ``first``..``last``, and all of
    them together. A branch that has not sent its set-up yet has no report (``None``)."""
    check_range(first, last)
    pooled: list[tuple[Any, ...]] = []
    pooled_targets: dict[int, float] = {}
    hours = [0] * 24
    survey_count = 0
    survey_sums = [0] * ELEMENT_COUNT
    rows: list[HubBranchReport] = []
    branches = visible_branches(session, actor, branch_id)
    for branch in branches:
        profile = profile_of(session, branch.id)
        summary = None
        if profile is not None:
            visits = journal_visits(session, branch.id, first, last)
            sums = _survey_sums(session, branch.id, first, last)
            summary, report, records = branch_summary(
                visits, profile, sums, first, last, now, branch_id=branch.id, name=branch.name
            )
            targets = _targets(profile)
            # Pooled: service ids made unique per branch; counters left out (the combined
            # figures are the branches' total only).
            base = branch.id << 32
            pooled.extend(
                (base + r[0], r[1], r[2], r[3], r[4], r[5], None, r[7], None, r[9]) for r in records
            )
            pooled_targets.update({base + sid: t for sid, t in targets.items()})
            hours = [a + b for a, b in zip(hours, report.arrivals_by_hour, strict=True)]
            for count, element_sums in sums.values():
                survey_count += count
                survey_sums = [a + b for a, b in zip(survey_sums, element_sums, strict=True)]
        rows.append(
            HubBranchReport(
                branch_id=branch.id,
                name=branch.name,
                region=branch.region,
                hub_seq=branch.last_seq,
                last_sync_at=branch.last_sync_at,
                report=summary,
            )
        )
    combined = summarise_records(pooled, pooled_targets, DEFAULT_ZONE)
    return HubReport(
        first_day=first,
        last_day=last,
        generated_at=now,
        combined=HubCombined(
            branches=sum(1 for r in rows if r.report is not None),
            total=FiguresOut(**_figures(combined.total)),
            arrivals_by_hour=hours,
            survey=_ikm_out(ikm_from_sums(survey_count, survey_sums)),
        ),
        branches=rows,
    )


# --- the dashboard ------------------------------------------------------------------------


class _Today:
    """A branch's visits of one service day, kept up to date event by event (per process)."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.visits = JournalVisits(day, day)
        self.seq = 0
        self.lock = threading.Lock()
        # The figures at (seq, set-up version): a refresh with nothing new reuses them.
        self.key: tuple[int, datetime | None] | None = None
        self.figures: Figures | None = None
        self.waiting_since: dict[int, int] = {}

    def summary(
        self, profile: BranchProfile | None, version: datetime | None
    ) -> tuple[Figures, dict[int, int]]:
        if self.figures is None or self.key != (self.seq, version):
            records = self.visits.records()
            self.figures = summarise_records(records, _targets(profile), _zone(profile)).total
            self.waiting_since = self.visits.waiting_since(self.day)
            self.key = (self.seq, version)
        return self.figures, self.waiting_since

    def catch_up(self, session: Session, branch_id: int, hub_seq: int) -> None:
        if hub_seq < self.seq:  # the hub's copy was reset: read the day again
            self.visits = JournalVisits(self.day, self.day)
            self.seq = 0
            self.figures = None
        if hub_seq <= self.seq:
            return
        for event in _events(session, branch_id, self.day, self.day, self.seq, hub_seq):
            self.visits.add(event)
        self.seq = hub_seq


_TODAY: LRUCache[tuple[str, int, date], _Today] = LRUCache(maxsize=2000)
_TODAY_LOCK = threading.Lock()


def _today(session: Session, branch_id: int, day: date) -> _Today:
    """The branch's day, kept per database (one process may serve tests' several hubs)."""
    key = (session.get_bind().engine.url.render_as_string(), branch_id, day)
    with _TODAY_LOCK:
        found = _TODAY.get(key)
        if found is None:
            found = _TODAY[key] = _Today(day)
        return found


Freshness = Literal["fresh", "stale", "offline", "never"]


def freshness(age: float | None) -> Freshness:
    if age is None:
        return "never"
    if age <= STALE_AFTER_SECONDS:
        return "fresh"
    return "stale" if age <= OFFLINE_AFTER_SECONDS else "offline"


def dashboard(session: Session, actor: HubActor, now: datetime) -> HubDashboard:
    """Every visible branch, live: its figures, today's counts and target share from its
    journal, and how old the hub's copy is."""
    rows = []
    branches = visible_branches(session, actor)
    profiles = _profiles(session, [b.id for b in branches])
    for branch in branches:
        profile, version = profiles.get(branch.id, (None, None))
        day = now.astimezone(ZoneInfo(_zone(profile))).date()
        today = _today(session, branch.id, day)
        with today.lock:
            # Read up to the sequence the branch row says; an event committed meanwhile is
            # read next time (the cached cursor never passes what was read).
            today.catch_up(session, branch.id, branch.last_seq)
            figures, waiting_since = today.summary(profile, version)
        age = None
        if branch.last_sync_at is not None:
            age = max(0.0, (now - branch.last_sync_at).total_seconds())
        state = freshness(age)
        longest = None
        if waiting_since and (branch.waiting is None or branch.waiting > 0):
            # Live while the branch is in touch; as of its last push once it is not.
            reference = (
                now if state == "fresh" or branch.last_sync_at is None else branch.last_sync_at
            )
            oldest = min(waiting_since.values()) / 1000
            longest = round(max(0.0, reference.timestamp() - oldest), 1)
        rows.append(
            DashboardRow(
                branch_id=branch.id,
                name=branch.name,
                region=branch.region,
                service_day=day if profile is not None else None,
                waiting=branch.waiting,
                open_counters=branch.open_counters,
                longest_wait_seconds=longest,
                issued=figures.issued,
                served=figures.served,
                no_show=figures.no_show,
                called=figures.called,
                within_target=figures.within_target,
                within_target_share=(
                    None
                    if profile is None or figures.within_target_share is None
                    else round(figures.within_target_share, 4)
                ),
                mean_wait_seconds=(
                    None
                    if figures.mean_wait_seconds is None
                    else round(figures.mean_wait_seconds, 1)
                ),
                last_sync_at=branch.last_sync_at,
                sync_age_seconds=None if age is None else round(age, 1),
                freshness=state,
            )
        )
    return HubDashboard(
        generated_at=now,
        stale_after_seconds=STALE_AFTER_SECONDS,
        offline_after_seconds=OFFLINE_AFTER_SECONDS,
        branches=rows,
    )
