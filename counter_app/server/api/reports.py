"""Reports for supervisors and admins: a period's figures, and the same as CSV or XLSX.

The reports' own code (store.reports, the CSV and XLSX writers) is imported at the first
report: a server that no one asks for one does not hold it (tests/unit/test_packaging.py)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role
from counter_app.export.tables import Language, TableName, report_tables
from counter_app.schemas.reports import ReportSummary
from counter_app.server.context import ActorDep, ServicesDep
from counter_app.server.responses import JsonResponse

router = APIRouter(prefix="/api/v1/branches", tags=["reports"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
First = Annotated[date, Query(alias="from", description="First service day (YYYY-MM-DD)")]
Last = Annotated[date, Query(alias="to", description="Last service day, included")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def _allowed(actor: Actor, branch_id: int) -> None:
    actor.require_role(Role.SUPERVISOR)  # a supervisor or an admin
    actor.require_branch(branch_id)


def _build(svc: ServicesDep, branch_id: int, first: date, last: date) -> ReportSummary:
    from counter_app.store.reports import report_summary as store_report_summary

    with svc.db.read() as session:
        return store_report_summary(session, branch_id, first, last, svc.clock())


@router.get(
    "/{branch_id}/reports/summary", operation_id="report_summary", response_model=ReportSummary
)
def report_summary(
    branch_id: Id, first: First, last: Last, actor: ActorDep, svc: ServicesDep
) -> Response:
    """Tickets issued, served, no-show, cancelled, transferred and expired; waiting (mean,
    90th percentile, share within target) and service times; arrivals by hour; the IKM —
    for the whole branch and per service, counter and officer, over the branch's service
    days ``from`` to ``to`` (both included, at most 366 days)."""
    _allowed(actor, branch_id)
    return JsonResponse.of(_build(svc, branch_id, first, last))


@router.get(
    "/{branch_id}/reports/export",
    operation_id="report_export",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}, XLSX_TYPE: {}},
            "description": "The report as a file to save",
        }
    },
)
def report_export(
    branch_id: Id,
    first: First,
    last: Last,
    actor: ActorDep,
    svc: ServicesDep,
    file_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.XLSX,
    table: TableName = TableName.SUMMARY,
    lang: Language = Language.ID,
) -> Response:
    """The report as XLSX (every table, one sheet each) or CSV (one table: ``table``)."""
    _allowed(actor, branch_id)
    report = _build(svc, branch_id, first, last)
    stem = f"laporan-{branch_id}-{first.isoformat()}_{last.isoformat()}"
    if file_format is ExportFormat.XLSX:
        from counter_app.export.xlsx_file import report_xlsx  # xlsxwriter: only when asked

        body, media, name = report_xlsx(report, lang), XLSX_TYPE, f"{stem}.xlsx"
    else:
        from counter_app.export.csv_file import table_csv

        chosen = next(t for t in report_tables(report, lang) if t.name is table)
        body, media, name = table_csv(chosen), "text/csv; charset=utf-8", f"{stem}-{table}.csv"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
