"""Reports on the wire: a period's figures per service, counter and officer, with the IKM."""

from __future__ import annotations

from datetime import date, datetime

from counter_app.schemas.base import Response


class FiguresOut(Response):
    """Counts, waiting and service times of one group. Times in seconds (one decimal);
    ``None`` where there is nothing to average. ``issued`` and ``transferred_in`` are ``None``
    for counters and officers (tickets arrive in a service's queue, not at a counter)."""

    issued: int | None
    transferred_in: int | None
    served: int
    no_show: int
    cancelled: int
    transferred: int
    expired: int
    called: int
    mean_wait_seconds: float | None
    p90_wait_seconds: float | None
    within_target: int
    within_target_share: float | None  # 0..1, of the visits called
    mean_service_seconds: float | None


class SurveyElementResult(Response):
    number: int
    code: str
    name: str
    mean: float | None  # NRR, 1..4, four decimals


class IkmOut(Response):
    responses: int
    index: float | None  # 25.00..100.00, two decimals, rounded half up
    grade: str | None  # A, B, C, D
    grade_label: str | None  # Sangat Baik, Baik, Kurang Baik, Tidak Baik
    elements: list[SurveyElementResult]


class ServiceReport(FiguresOut):
    service_id: int
    prefix: str
    name: str
    target_wait_minutes: int
    arrivals_by_hour: list[int]  # 24 counts, branch-local hour of issue
    survey: IkmOut


class CounterReport(FiguresOut):
    counter_id: int
    number: int
    name: str


class OfficerReport(FiguresOut):
    user_id: int
    name: str


class ReportSummary(Response):
    branch_id: int
    branch_name: str
    timezone: str
    first_day: date
    last_day: date
    generated_at: datetime
    total: FiguresOut
    arrivals_by_hour: list[int]
    survey: IkmOut
    services: list[ServiceReport]
    counters: list[CounterReport]
    officers: list[OfficerReport]
