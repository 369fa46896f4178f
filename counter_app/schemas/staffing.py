"""Staffing advice on the wire: counters per hour per service to keep the wait on target."""

from __future__ import annotations

from datetime import date

from counter_app.schemas.base import Response


class StaffingHour(Response):
    """One hour of the day (branch time, ``hour`` to ``hour + 1``). Waits in seconds; ``None``
    where the counters cannot keep up (the queue grows without bound)."""

    hour: int
    arrivals_per_hour: float
    mean_service_seconds: float
    recommended_counters: int
    expected_wait_recommended_seconds: float | None
    current_counters: float  # counters serving this service open, on average over the hour
    expected_wait_current_seconds: float | None


class ServiceStaffing(Response):
    service_id: int
    prefix: str
    name: str
    target_wait_minutes: int
    hours: list[StaffingHour]


class StaffingAdvice(Response):
    """Advice for one weekday (0 = Monday) from that weekday's last ``weeks`` service days."""

    branch_id: int
    weekday: int
    weeks: int
    first_day: date
    last_day: date
    services: list[ServiceStaffing]
