"""What a branch sends its hub beside the journal, for the hub's reports (docs/HUB.md):
its set-up (time zone, services with their target waits, counters, officers' names) and its
satisfaction-survey sums per service day. Neither is in the journal: set-up rows are read
from their tables, and survey responses change no queue state (docs/REPORTS.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from counter_app.core.ikm import ELEMENT_COUNT
from counter_app.store.models import Branch, Counter, Service, SurveyResponse, Ticket, User


def branch_profile(session: Session, branch_id: int) -> dict[str, Any]:
    """The set-up the hub's report needs, in display order (as ``store.reports`` orders it)."""
    branch = session.get(Branch, branch_id)
    services = session.scalars(
        select(Service)
        .where(Service.branch_id == branch_id)
        .order_by(Service.position, Service.prefix)
    )
    counters = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number)
    )
    # The branch's people, and those of no branch (an administrator may act at a counter).
    users = session.execute(
        select(User.id, User.full_name, User.username).where(
            or_(User.branch_id == branch_id, User.branch_id.is_(None))
        )
    )
    return {
        "name": branch.name if branch else "",
        "timezone": branch.timezone if branch else "Asia/Jakarta",
        "services": [
            {
                "id": s.id,
                "prefix": s.prefix,
                "name": s.name,
                "target_wait_minutes": s.target_wait_minutes,
            }
            for s in services
        ],
        "counters": [{"id": c.id, "number": c.number, "name": c.name} for c in counters],
        "officers": [{"id": uid, "name": full or username} for uid, full, username in users],
    }


def survey_day_sums(
    session: Session, branch_id: int, submitted_since: datetime | None
) -> list[dict[str, Any]]:
    """Per (service day, service): responses and the sums of U1..U9, for every service day
    that received a response submitted at or after ``submitted_since`` (all days: ``None``).
    Training tickets' answers are left out, as the branch's report leaves them out."""
    answers = [getattr(SurveyResponse, f"u{i}") for i in range(1, ELEMENT_COUNT + 1)]
    days_query = select(SurveyResponse.service_day).where(SurveyResponse.branch_id == branch_id)
    if submitted_since is not None:
        days_query = days_query.where(SurveyResponse.submitted_at >= submitted_since)
    days: list[date] = sorted(set(session.scalars(days_query.distinct())))
    if not days:
        return []
    rows = session.execute(
        select(
            SurveyResponse.service_day,
            SurveyResponse.service_id,
            func.count(),
            *(func.sum(a) for a in answers),
        )
        .join(Ticket, Ticket.id == SurveyResponse.ticket_id)
        .where(
            Ticket.training.is_(False),
            SurveyResponse.branch_id == branch_id,
            SurveyResponse.service_day.in_(days),
        )
        .group_by(SurveyResponse.service_day, SurveyResponse.service_id)
    ).all()
    found = {
        (row[0], int(row[1])): {
            "service_day": row[0].isoformat(),
            "service_id": int(row[1]),
            "responses": int(row[2]),
            "sums": [int(v) for v in row[3:]],
        }
        for row in rows
    }
    # A day whose only answers were training ones still goes out, as zero responses for
    # the services answered that day: the hub replaces what it held for that day.
    for day, service_id in session.execute(
        select(SurveyResponse.service_day, SurveyResponse.service_id)
        .where(SurveyResponse.branch_id == branch_id, SurveyResponse.service_day.in_(days))
        .distinct()
    ):
        found.setdefault(
            (day, int(service_id)),
            {
                "service_day": day.isoformat(),
                "service_id": int(service_id),
                "responses": 0,
                "sums": [0] * ELEMENT_COUNT,
            },
        )
    return sorted(found.values(), key=lambda r: (r["service_day"], r["service_id"]))
