"""A period's report, rebuilt from the journal.

The tickets of the period's service days are found through ``ix_tickets_report`` (their id,
service and transfer link never change); everything that *happened* to them — arrival,
calls, start, the event that closed them, where and when — is read from their journal
events through the covering index ``ix_events_ticket_report``, aggregated per ticket in the
database, so a report never loads an event's payload and never reads the tickets' current
state. Who held a counter comes from the ``counter.state`` events. ``core.reports`` does the
arithmetic.

A transfer's event belongs to the new row (``ticket_id``); it closes the old one, which is
found by the new row's ``transferred_from_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Float, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from counter_app.core.errors import invalid
from counter_app.core.ikm import ELEMENT_COUNT, ELEMENTS, IkmResult, ikm_from_sums
from counter_app.core.reports import (
    CounterHolders,
    Figures,
    Outcome,
    Report,
    Visit,
    empty_figures,
    summarise,
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


class epoch_seconds(FunctionElement[float]):  # noqa: N801 - SQL function style
    """Seconds since 1970 of a stored time, as a float, on each backend."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    # Times are stored as 'YYYY-MM-DD HH:MM:SS.ffffff' UTC text (store.types.UtcDateTime).
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS FLOAT8)"


def check_range(first: date, last: date) -> None:
    if last < first:
        raise invalid("bad_range", f"The period ends ({last}) before it starts ({first}).")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise invalid(
            "range_too_long", f"A report covers at most {MAX_DAYS} days, not {days}.", days=days
        )


def _when(condition: ColumnElement[bool], value: Any) -> Any:
    return case((condition, value))


def _visit_rows(session: Session, branch_id: int, first: date, last: date) -> Sequence[Any]:
    """One row per ticket row of the period: its arrival, calls, start and closing event.

    Each is an index seek on ``ix_events_ticket_report`` (ticket, kind): a ticket row has
    exactly one arrival event (issued, or transferred into this queue), at most one start
    and at most one closing event, so plain outer joins give one row per ticket, with no
    grouping or per-event expressions for the database to evaluate.
    """
    arrival, start, close, call = (aliased(Event) for _ in range(4))

    def calls(aggregate: Any) -> Any:
        return (
            select(aggregate(call.at))
            .where(call.ticket_id == Ticket.id, call.kind == EventKind.TICKET_CALLED.value)
            .scalar_subquery()
        )

    statement = (
        select(
            Ticket.id,
            Ticket.service_id,
            Ticket.transferred_from_id,
            epoch_seconds(arrival.at),
            epoch_seconds(calls(func.min)),
            epoch_seconds(calls(func.max)),
            epoch_seconds(start.at),
            close.kind,
            epoch_seconds(close.at),
            close.counter_id,
            close.seq,
            close.user_id,
        )
        .select_from(Ticket)
        .outerjoin(arrival, and_(arrival.ticket_id == Ticket.id, arrival.kind.in_(_ARRIVALS)))
        .outerjoin(
            start,
            and_(start.ticket_id == Ticket.id, start.kind == EventKind.TICKET_STARTED.value),
        )
        .outerjoin(close, and_(close.ticket_id == Ticket.id, close.kind.in_(list(_CLOSING))))
        .where(
            Ticket.branch_id == branch_id,
            Ticket.service_day >= first,
            Ticket.service_day <= last,
        )
    )
    return session.execute(statement).all()


def _transfer_rows(session: Session, branch_id: int, first: date, last: date) -> Sequence[Any]:
    """(old row id, when, from counter, seq, by whom) of each transfer out in the period."""
    continued = aliased(Ticket)
    statement = (
        select(
            continued.transferred_from_id,
            epoch_seconds(Event.at),
            Event.counter_id,
            Event.seq,
            Event.user_id,
        )
        .select_from(continued)
        .join(
            Event,
            and_(
                Event.ticket_id == continued.id,
                Event.kind == EventKind.TICKET_TRANSFERRED.value,
            ),
        )
        .where(
            continued.branch_id == branch_id,
            continued.service_day >= first,
            continued.service_day <= last,
            continued.transferred_from_id.is_not(None),
        )
    )
    return session.execute(statement).all()


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


def read_visits(
    session: Session, branch_id: int, timezone: str, first: date, last: date
) -> list[Visit]:
    """The queue visits of the branch's service days ``first`` to ``last``, from the journal."""
    rows = _visit_rows(session, branch_id, first, last)
    transfers = {row[0]: tuple(row[1:]) for row in _transfer_rows(session, branch_id, first, last)}
    holder = _holders(session, branch_id, timezone, first, last).holder
    closing_of = _CLOSING.get
    visits: list[Visit] = []
    append = visits.append
    # A plain loop over a few hundred thousand rows: kept tight on purpose.
    for (
        ticket_id,
        service_id,
        from_id,
        arrived,
        first_call,
        last_call,
        started,
        kind,
        *closing,
    ) in rows:
        outcome = closing_of(kind) if kind is not None else None
        moved = transfers.get(ticket_id) if outcome is None else None
        if moved is not None:
            outcome = Outcome.TRANSFERRED
        closed, counter_id, close_seq, close_user = moved or closing
        officer = None
        if outcome is None:
            counter_id = None
        elif counter_id is not None:
            # The server's rule: the counter's officer, or whoever acted at an unheld counter.
            officer = holder(counter_id, close_seq) or close_user
        append(
            Visit(
                service_id,
                from_id is not None,
                arrived,
                first_call,
                last_call,
                started,
                closed,
                outcome,
                counter_id,
                officer,
            )
        )
    return visits


def _survey_sums(
    session: Session, branch_id: int, first: date, last: date
) -> dict[int, tuple[int, list[int]]]:
    answers = [getattr(SurveyResponse, f"u{i}") for i in range(1, ELEMENT_COUNT + 1)]
    rows = session.execute(
        select(SurveyResponse.service_id, func.count(), *(func.sum(a) for a in answers))
        .where(
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
    report: Report = summarise(
        read_visits(session, branch_id, branch.timezone, first, last),
        {s.id: s.target_wait_minutes * 60.0 for s in services},
        branch.timezone,
    )
    counters = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id).order_by(Counter.number)
    ).all()
    officers = (
        session.scalars(select(User).where(User.id.in_(list(report.officers)))).all()
        if report.officers
        else []
    )
    sums = _survey_sums(session, branch_id, first, last)
    total_responses = sum(count for count, _ in sums.values())
    total_sums = [sum(s[i] for _, s in sums.values()) for i in range(ELEMENT_COUNT)]
    empty = empty_figures()
    no_hours = [0] * 24
    return ReportSummary(
        branch_id=branch.id,
        branch_name=branch.name,
        timezone=branch.timezone,
        first_day=first,
        last_day=last,
        generated_at=now,
        total=FiguresOut(**_figures(report.total)),
        arrivals_by_hour=list(report.arrivals_by_hour),
        survey=_ikm_out(ikm_from_sums(total_responses, total_sums)),
        services=[
            ServiceReport(
                service_id=s.id,
                prefix=s.prefix,
                name=s.name,
                target_wait_minutes=s.target_wait_minutes,
                arrivals_by_hour=list(report.service_arrivals_by_hour.get(s.id, no_hours)),
                survey=_ikm_out(ikm_from_sums(*sums.get(s.id, (0, [0] * ELEMENT_COUNT)))),
                **_figures(report.services.get(s.id, empty)),
            )
            for s in services
        ],
        counters=[
            CounterReport(
                counter_id=c.id,
                number=c.number,
                name=c.name,
                **_figures(report.counters.get(c.id, empty), arrivals=False),
            )
            for c in counters
        ],
        officers=sorted(
            (
                OfficerReport(
                    user_id=u.id,
                    name=u.full_name or u.username,
                    **_figures(report.officers[u.id], arrivals=False),
                )
                for u in officers
            ),
            key=lambda o: (o.name.casefold(), o.user_id),
        ),
    )
