"""A period's report, rebuilt from the journal.

The tickets of the period's service days are found through ``ix_tickets_report`` (their id,
service and transfer link never change); everything that *happened* to them — arrival,
calls, start, the event that closed them, where and when — is read from their journal
events through the covering index ``ix_events_ticket_report``, one row per ticket with the
times already subtracted in whole milliseconds, so a report never loads an event's payload
and never reads the tickets' current state. Who held a counter comes from the
``counter.state`` events. ``core.reports`` adds the rows up (one pass into a few hundred
partial tallies, then the groups from those).

A transfer's event belongs to the new row (``ticket_id``); it closes the old one, which is
found by the new row's ``transferred_from_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, and_, case, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid
from counter_app.core.ikm import ELEMENT_COUNT, ELEMENTS, IkmResult, ikm_from_sums
from counter_app.core.reports import (
    CounterHolders,
    Figures,
    Outcome,
    Report,
    empty_figures,
    summarise_records,
)
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.reports import (
    CounterReport,
    FiguresOut,
    IkmOut,
    OfficerReport,
    ReportSummary,
    ServiceReport,
    SurveyElementResult,
)
from counter_app.store.models import Counter, Event, Service, SurveyResponse, Ticket, User
from counter_app.store.office import get_branch

MAX_DAYS = 366
_CLOSING: dict[str, Outcome] = {
    EventKind.TICKET_FINISHED.value: Outcome.SERVED,
    EventKind.TICKET_SKIPPED.value: Outcome.NO_SHOW,
    EventKind.TICKET_CANCELLED.value: Outcome.CANCELLED,
    EventKind.TICKET_EXPIRED.value: Outcome.EXPIRED,
}
_ARRIVALS = [EventKind.TICKET_ISSUED.value, EventKind.TICKET_TRANSFERRED.value]
# Events that reopen a skipped ticket: called back by number, or the skip undone.
_REOPENING = [EventKind.TICKET_CALLED.value, EventKind.TICKET_SKIP_UNDONE.value]


class epoch_ms(FunctionElement[int]):  # noqa: N801 - SQL function style
    """Whole milliseconds since 1970 of a stored time, on each backend."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_ms, "sqlite")
def _epoch_ms_sqlite(element: epoch_ms, compiler: SQLCompiler, **kw: Any) -> str:
    # Times are stored as 'YYYY-MM-DD HH:MM:SS.ffffff' UTC text (store.types.UtcDateTime).
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(ROUND((julianday({inner}) - 2440587.5) * 86400000.0) AS INTEGER)"


@compiles(epoch_ms, "postgresql")
def _epoch_ms_postgresql(element: epoch_ms, compiler: SQLCompiler, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(ROUND(EXTRACT(EPOCH FROM {inner}) * 1000) AS BIGINT)"


def check_range(first: date, last: date) -> None:
    if last < first:
        raise invalid(ErrorCode.BAD_RANGE, f"The period ends ({last}) before it starts ({first}).")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise invalid(
            ErrorCode.RANGE_TOO_LONG,
            f"A report covers at most {MAX_DAYS} days, not {days}.",
            days=days,
        )


@contextmanager
def _visit_records(
    session: Session, branch_id: int, first: date, last: date
) -> Iterator[Iterable[tuple[Any, ...]]]:
    """One :class:`core.reports.Record` per ticket row of the period, as they come.

    Each ticket row has exactly one arrival event (issued, or transferred into this queue),
    at most one start and at most one closing event, so plain outer joins — each an index
    seek on ``ix_events_ticket_report`` (ticket, kind) — give one row per ticket with no
    grouping. A row transferred away has no closing event of its own: the transfer event
    belongs to its continuation (the row whose ``transferred_from_id`` is this one), so
    that one is joined too, only for rows without a closing event. The database does the
    time arithmetic in whole milliseconds; Python gets ten small values per visit.

    A skipped ticket can be reopened (called back, or the skip undone): that skip is then
    no closing event, and a skip never undone marks the visit ``no_show_before``.

    The rows are read straight from the driver's cursor, as plain tuples: they need no
    conversion, and SQLAlchemy's ``Row`` objects would cost more than everything else the
    report does in Python (≈ 0.3 s per 200,000 visits).
    """
    arrival, start, close, call, moved, later, skip = (aliased(Event) for _ in range(7))
    continued = aliased(Ticket)

    def skips(kind: EventKind) -> Any:
        return (
            select(func.count())
            .where(skip.ticket_id == Ticket.id, skip.kind == kind.value)
            .scalar_subquery()
        )

    def calls(aggregate: Any) -> Any:
        return epoch_ms(
            select(aggregate(call.at))
            .where(call.ticket_id == Ticket.id, call.kind == EventKind.TICKET_CALLED.value)
            .scalar_subquery()
        )

    # A skip is a closing event only if nothing reopened the ticket after it.
    reopened = exists().where(
        later.ticket_id == Ticket.id, later.kind.in_(_REOPENING), later.seq > close.seq
    )
    # A no-show called back: a skip its counter did not undo, and it closed otherwise. Only
    # a ticket called more than once can be one, which spares the count for nearly all.
    no_show_before = case(
        (
            and_(
                Ticket.call_count > 1,
                or_(close.kind.is_(None), close.kind != EventKind.TICKET_SKIPPED.value),
                skips(EventKind.TICKET_SKIPPED) > skips(EventKind.TICKET_SKIP_UNDONE),
            ),
            True,
        ),
        else_=False,
    )
    arrived = epoch_ms(arrival.at)
    closed_here = close.kind.is_not(None)
    outcome = case(
        *((close.kind == kind, outcome.value) for kind, outcome in _CLOSING.items()),
        (moved.seq.is_not(None), Outcome.TRANSFERRED.value),
    )
    service = case(
        (
            close.kind == EventKind.TICKET_FINISHED.value,
            epoch_ms(close.at) - func.coalesce(epoch_ms(start.at), calls(func.max)),
        )
    )
    statement = (
        select(
            Ticket.service_id,
            Ticket.transferred_from_id.is_not(None),
            arrived,
            calls(func.min) - arrived,
            service,
            outcome,
            case((closed_here, close.counter_id), else_=moved.counter_id),
            func.coalesce(close.seq, moved.seq),
            case((closed_here, close.user_id), else_=moved.user_id),
            no_show_before,
        )
        .select_from(Ticket)
        .outerjoin(arrival, and_(arrival.ticket_id == Ticket.id, arrival.kind.in_(_ARRIVALS)))
        .outerjoin(
            start,
            and_(start.ticket_id == Ticket.id, start.kind == EventKind.TICKET_STARTED.value),
        )
        .outerjoin(
            close,
            and_(
                close.ticket_id == Ticket.id,
                close.kind.in_(list(_CLOSING)),
                or_(close.kind != EventKind.TICKET_SKIPPED.value, ~reopened),
            ),
        )
        .outerjoin(
            continued,
            and_(
                close.kind.is_(None),
                continued.transferred_from_id == Ticket.id,
                continued.branch_id == branch_id,
                continued.service_day >= first,
                continued.service_day <= last,
            ),
        )
        .outerjoin(
            moved,
            and_(
                moved.ticket_id == continued.id,
                moved.kind == EventKind.TICKET_TRANSFERRED.value,
            ),
        )
        .where(
            Ticket.branch_id == branch_id,
            Ticket.service_day >= first,
            Ticket.service_day <= last,
            # Training tickets never count (docs/TRAINING.md).
            Ticket.training.is_(False),
        )
    )
    result = session.connection().execute(statement)  # Core: a CursorResult
    try:
        yield cast("Iterable[tuple[Any, ...]]", result.cursor)
    finally:
        result.close()


def _holders(
    session: Session, branch_id: int, timezone: str, first: date, last: date
) -> CounterHolders:
    """Who held each counter during the period (from its ``counter.state`` events): the last
    change before the period and every change until a day after it (for late expiries)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=2), time(), zone).astimezone(UTC)
    state = EventKind.COUNTER_STATE.value
    rows: list[tuple[int | None, int, Any]] = []
    counter_ids = session.scalars(select(Counter.id).where(Counter.branch_id == branch_id)).all()
    for counter_id in counter_ids:
        before = session.execute(
            select(Event.counter_id, Event.seq, Event.payload)
            .where(
                Event.branch_id == branch_id,
                Event.kind == state,
                Event.at < start,
                Event.counter_id == counter_id,
            )
            .order_by(Event.at.desc(), Event.seq.desc())
            .limit(1)
        ).first()
        if before is not None:
            rows.append((before[0], before[1], before[2]))
    rows.extend(
        (row[0], row[1], row[2])
        for row in session.execute(
            select(Event.counter_id, Event.seq, Event.payload).where(
                Event.branch_id == branch_id,
                Event.kind == state,
                Event.at >= start,
                Event.at < end,
            )
        )
    )
    return CounterHolders(
        (counter_id, seq, (payload.get("counter") or {}).get("officer_id"))
        for counter_id, seq, payload in rows
        if counter_id is not None
    )


def _survey_sums(
    session: Session, branch_id: int, first: date, last: date
) -> dict[int, tuple[int, list[int]]]:
    answers = [getattr(SurveyResponse, f"u{i}") for i in range(1, ELEMENT_COUNT + 1)]
    rows = session.execute(
        select(SurveyResponse.service_id, func.count(), *(func.sum(a) for a in answers))
        # Answers about training tickets are not counted in the IKM (docs/TRAINING.md).
        .join(Ticket, Ticket.id == SurveyResponse.ticket_id)
        .where(
            Ticket.training.is_(False),
            SurveyResponse.branch_id == branch_id,
            SurveyResponse.service_day >= first,
            SurveyResponse.service_day <= last,
        )
        .group_by(SurveyResponse.service_id)
    ).all()
    return {int(row[0]): (int(row[1]), [int(v) for v in row[2:]]) for row in rows}


def _ikm_out(result: IkmResult | None) -> IkmOut:
    means: tuple[Fraction | None, ...] = result.element_means if result else (None,) * ELEMENT_COUNT
    return IkmOut(
        responses=result.responses if result else 0,
        index=float(result.index) if result else None,
        grade=result.grade.value if result else None,
        grade_label=result.label if result else None,
        elements=[
            SurveyElementResult(
                number=e.number,
                code=e.code,
                name=e.name,
                mean=None if m is None else round(float(m), 4),
            )
            for e, m in zip(ELEMENTS, means, strict=True)
        ],
    )


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _figures(figures: Figures, *, arrivals: bool = True) -> dict[str, Any]:
    return {
        "issued": figures.issued if arrivals else None,
        "transferred_in": figures.transferred_in if arrivals else None,
        "served": figures.served,
        "no_show": figures.no_show,
        "cancelled": figures.cancelled,
        "transferred": figures.transferred,
        "expired": figures.expired,
        "called": figures.called,
        "mean_wait_seconds": _round(figures.mean_wait_seconds, 1),
        "p90_wait_seconds": _round(figures.p90_wait_seconds, 1),
        "within_target": figures.within_target,
        "within_target_share": _round(figures.within_target_share, 4),
        "mean_service_seconds": _round(figures.mean_service_seconds, 1),
    }


def report_summary(
    session: Session, branch_id: int, first: date, last: date, now: datetime
) -> ReportSummary:
    """Figures of the branch's service days ``first`` to ``last`` (both included)."""
    check_range(first, last)
    branch = get_branch(session, branch_id)
    services = session.scalars(
        select(Service)
        .where(Service.branch_id == branch_id)
        .order_by(Service.position, Service.prefix)
    ).all()
    holders = _holders(session, branch_id, branch.timezone, first, last)
    with _visit_records(session, branch_id, first, last) as records:
        report: Report = summarise_records(
            records,
            {s.id: s.target_wait_minutes * 60.0 for s in services},
            branch.timezone,
            holders.holder,
        )
    counters = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number)
    ).all()
    officers = (
        session.scalars(select(User).where(User.id.in_(list(report.officers)))).all()
        if report.officers
        else []
    )
    return build_summary(
        report,
        branch_id=branch.id,
        branch_name=branch.name,
        timezone=branch.timezone,
        first=first,
        last=last,
        now=now,
        services=[(s.id, s.prefix, s.name, s.target_wait_minutes) for s in services],
        counters=[(c.id, c.number, c.name) for c in counters],
        officer_names={u.id: u.full_name or u.username for u in officers},
        survey_sums=_survey_sums(session, branch_id, first, last),
    )


def build_summary(
    report: Report,
    *,
    branch_id: int,
    branch_name: str,
    timezone: str,
    first: date,
    last: date,
    now: datetime,
    services: Iterable[tuple[int, str, str, int]],
    counters: Iterable[tuple[int, int, str]],
    officer_names: dict[int, str],
    survey_sums: dict[int, tuple[int, list[int]]],
) -> ReportSummary:
    """The wire report from the figures (the branch's, or the hub's from the branch's
    journal): ``services`` (id, prefix, name, target minutes) and ``counters`` (id, number,
    name) in their display order; ``survey_sums`` per service: (responses, sums of U1..U9)."""
    sums = survey_sums
    total_responses = sum(count for count, _ in sums.values())
    total_sums = [sum(s[i] for _, s in sums.values()) for i in range(ELEMENT_COUNT)]
    empty = empty_figures()
    no_hours = [0] * 24
    return ReportSummary(
        branch_id=branch_id,
        branch_name=branch_name,
        timezone=timezone,
        first_day=first,
        last_day=last,
        generated_at=now,
        total=FiguresOut(**_figures(report.total)),
        arrivals_by_hour=list(report.arrivals_by_hour),
        survey=_ikm_out(ikm_from_sums(total_responses, total_sums)),
        services=[
            ServiceReport(
                service_id=sid,
                prefix=prefix,
                name=name,
                target_wait_minutes=target,
                arrivals_by_hour=list(report.service_arrivals_by_hour.get(sid, no_hours)),
                survey=_ikm_out(ikm_from_sums(*sums.get(sid, (0, [0] * ELEMENT_COUNT)))),
                **_figures(report.services.get(sid, empty)),
            )
            for sid, prefix, name, target in services
        ],
        counters=[
            CounterReport(
                counter_id=cid,
                number=number,
                name=name,
                **_figures(report.counters.get(cid, empty), arrivals=False),
            )
            for cid, number, name in counters
        ],
        officers=sorted(
            (
                OfficerReport(
                    user_id=uid,
                    name=officer_names.get(uid) or f"#{uid}",
                    **_figures(figures, arrivals=False),
                )
                for uid, figures in report.officers.items()
            ),
            key=lambda o: (o.name.casefold(), o.user_id),
        ),
    )
