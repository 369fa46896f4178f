"""Staffing advice from history (docs/REPORTS.md): arrivals per hour per service on one
weekday over the last weeks, mean service times, and how many counters were open; the
queueing model (core.staffing) turns these into counters to recommend.

Training tickets never count. Arrivals are the visits joining a service's queue: tickets
issued, and tickets transferred in (a pharmacy's demand is the doctors' transfers), by the
hour they joined (``enqueued_at``, written with the journal's ``ticket.issued`` or
``ticket.transferred``). Counters open come from the journal's
``counter.state`` events; a counter open for a service counts once for each service it serves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid
from counter_app.core.staffing import advise_hour
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState, EventKind
from counter_app.schemas.staffing import ServiceStaffing, StaffingAdvice, StaffingHour
from counter_app.store.models import CounterService, Event, Service, Ticket
from counter_app.store.office import get_branch
from counter_app.store.tickets.common import today

MAX_WEEKS = 26


def _days(last_day: date, weekday: int, weeks: int) -> list[date]:
    """The last ``weeks`` dates on ``weekday`` up to and including ``last_day``."""
    newest = last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
    return [newest - timedelta(weeks=back) for back in range(weeks)]


def staffing_advice(
    session: Session, branch_id: int, now: datetime, *, weekday: int | None, weeks: int
) -> StaffingAdvice:
    if not 1 <= weeks <= MAX_WEEKS:
        raise invalid(ErrorCode.INVALID_INPUT, f"weeks must be 1 to {MAX_WEEKS}.")
    if weekday is not None and not 0 <= weekday <= 6:
        raise invalid(ErrorCode.INVALID_INPUT, "weekday must be 0 (Monday) to 6 (Sunday).")
    branch = get_branch(session, branch_id)
    zone = ZoneInfo(branch.timezone)
    current_day = today(branch, now)
    # Only whole days: today counts from next week.
    last_day = current_day - timedelta(days=1)
    wanted = last_day.weekday() if weekday is None else weekday
    days = _days(last_day, wanted, weeks)
    day_set = set(days)
    first, last = min(days), max(days)
    services = session.scalars(
        select(Service).where(Service.branch_id == branch_id).order_by(Service.position)
    ).all()

    arrivals: dict[tuple[int, int], int] = defaultdict(int)
    for service_id, enqueued_at in session.execute(
        select(Ticket.service_id, Ticket.enqueued_at).where(
            Ticket.branch_id == branch_id,
            Ticket.service_day >= first,
            Ticket.service_day <= last,
            Ticket.training.is_(False),
        )
    ):
        local = enqueued_at.astimezone(zone)
        if local.date() in day_set:
            arrivals[(service_id, local.hour)] += 1

    service_sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for service_id, called_at, started_at, closed_at in session.execute(
        select(Ticket.service_id, Ticket.called_at, Ticket.started_at, Ticket.closed_at).where(
            Ticket.branch_id == branch_id,
            Ticket.service_day >= first,
            Ticket.service_day <= last,
            Ticket.training.is_(False),
            Ticket.state == TicketState.DONE.value,
        )
    ):
        # The counter is taken from the call (the citizen walks up) to the finish: that is
        # what staffing must cover, as the estimates' "counter time" (docs/REPORTS.md).
        begun = called_at or started_at
        if begun is None or closed_at is None:
            continue
        sums = service_sums[service_id]
        sums[0] += (closed_at - begun).total_seconds()
        sums[1] += 1

    open_hours = _open_counter_hours(session, branch_id, zone, days)
    served_by: dict[int, list[int]] = defaultdict(list)
    for counter_id, service_id in session.execute(
        select(CounterService.counter_id, CounterService.service_id)
    ):
        served_by[service_id].append(counter_id)

    out: list[ServiceStaffing] = []
    for service in services:
        known = service_sums.get(service.id)
        mean_service = (
            known[0] / known[1] if known and known[1] else float(service.default_service_seconds)
        )
        hours: list[StaffingHour] = []
        for hour in range(24):
            per_hour = arrivals.get((service.id, hour), 0) / len(days)
            current = sum(open_hours.get((c, hour), 0.0) for c in served_by[service.id]) / len(days)
            if per_hour == 0 and current == 0:
                continue
            advice = advise_hour(
                hour, per_hour, mean_service, service.target_wait_minutes * 60, current
            )
            hours.append(
                StaffingHour(
                    hour=hour,
                    arrivals_per_hour=round(per_hour, 2),
                    mean_service_seconds=round(mean_service, 1),
                    recommended_counters=advice.recommended,
                    expected_wait_recommended_seconds=_finite(advice.wait_recommended_seconds),
                    current_counters=round(current, 2),
                    expected_wait_current_seconds=_finite(advice.wait_current_seconds),
                )
            )
        out.append(
            ServiceStaffing(
                service_id=service.id,
                prefix=service.prefix,
                name=service.name,
                target_wait_minutes=service.target_wait_minutes,
                hours=hours,
            )
        )
    return StaffingAdvice(
        branch_id=branch_id,
        weekday=wanted,
        weeks=weeks,
        first_day=first,
        last_day=last,
        services=out,
    )


def _finite(seconds: float) -> float | None:
    return None if seconds == float("inf") else round(seconds, 1)


def _open_counter_hours(
    session: Session, branch_id: int, zone: ZoneInfo, days: list[date]
) -> dict[tuple[int, int], float]:
    """Counter-hours open per (counter, hour of day), summed over ``days``, from the journal's
    ``counter.state`` events (a counter on a break is not open)."""
    totals: dict[tuple[int, int], float] = defaultdict(float)
    for day in days:
        start = datetime.combine(day, time(), zone).astimezone(UTC)
        end = start + timedelta(days=1)
        # Each counter's state when the day began, then its changes during the day.
        state: dict[int, bool] = {}
        since: dict[int, datetime] = {}
        for counter_id, at, payload in session.execute(
            select(Event.counter_id, Event.at, Event.payload)
            .where(
                Event.branch_id == branch_id,
                Event.kind == EventKind.COUNTER_STATE.value,
                Event.at < end,
                Event.at >= start - timedelta(days=1),
            )
            .order_by(Event.seq)
        ):
            if counter_id is None:
                continue
            is_open = (payload.get("counter") or {}).get("state") == CounterState.OPEN.value
            moment = max(at, start)
            if state.get(counter_id) and counter_id in since:
                _add(totals, counter_id, since[counter_id], moment, zone)
            state[counter_id] = is_open
            since[counter_id] = moment
        for counter_id, is_open in state.items():
            if is_open:
                _add(totals, counter_id, since[counter_id], end, zone)
    return totals


def _add(
    totals: dict[tuple[int, int], float],
    counter_id: int,
    begin: datetime,
    end: datetime,
    zone: ZoneInfo,
) -> None:
    """Spread the open interval ``begin``–``end`` over the local hours it covers."""
    moment = begin
    while moment < end:
        local = moment.astimezone(zone)
        hour_end = (
            local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        ).astimezone(UTC)
        step_end = min(hour_end, end)
        totals[(counter_id, local.hour)] += (step_end - moment).total_seconds() / 3600
        moment = step_end
