"""The hub's regional view on the API (docs/HUB.md, "Regional view and reports"): the
branches' report feed, reports across branches (JSON, CSV and XLSX) and the live dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.export.csv_file import table_csv
from counter_app.export.hub_tables import hub_summary_table
from counter_app.export.tables import Language
from counter_app.hub import reports
from counter_app.hub.api import ActorDep, BranchDep, _decode_body, _in_transaction
from counter_app.hub.store import HubActor, HubRefusalError
from counter_app.schemas.base import ErrorBody
from counter_app.schemas.hub import FeedResult, HubDashboard, HubReport, ReportFeed

router = APIRouter(prefix="/hub/v1", tags=["hub"])
First = Annotated[date, Query(alias="from", description="First service day (YYYY-MM-DD)")]
Last = Annotated[date, Query(alias="to", description="Last service day, included")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
report_csv_table = hub_summary_table  # the web page's CSV is the API's


def _refusal(status: int, *codes: ErrorCode) -> dict[str, Any]:
    said = ", ".join(f"`{code.value}`" for code in codes)
    return {"model": ErrorBody, "description": f"{HTTPStatus(status).phrase}: `error` is {said}"}


# What a report route answers instead of the report (JSON, as every hub refusal).
REPORT_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: _refusal(401, ErrorCode.NOT_AUTHENTICATED, ErrorCode.BAD_TOKEN),
    404: _refusal(404, ErrorCode.BRANCH_NOT_FOUND),
    422: _refusal(422, ErrorCode.INVALID_INPUT, ErrorCode.BAD_RANGE, ErrorCode.RANGE_TOO_LONG),
}
BranchFilter = Annotated[
    int | None, Query(ge=1, le=2**31 - 1, description="One branch only (default: every branch)")
]


@router.post("/feed", operation_id="push_report_feed", response_model=FeedResult)
async def push_report_feed(request: Request, branch_id: BranchDep) -> FeedResult:
    """The branch's set-up and survey sums per service day (not in its journal), for the
    hub's reports. Repeating a feed changes nothing; a day's sums replace the held ones."""
    raw = await request.body()
    body = _decode_body(raw, request.headers.get("content-encoding", "").strip().lower())
    try:
        feed = ReportFeed.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise HubRefusalError(ErrorCode.INVALID_INPUT, f"{where}: {first['msg']}") from None
    now = datetime.now(UTC)
    return await _in_transaction(request, lambda s: reports.store_feed(s, branch_id, feed, now))


async def build_report(
    request: Request, actor: HubActor, first: date, last: date, branch_id: int | None
) -> HubReport:
    now = datetime.now(UTC)
    try:
        return await _in_transaction(
            request, lambda s: reports.hub_report(s, actor, first, last, now, branch_id)
        )
    except AppError as exc:  # the period's checks (store.reports.check_range)
        raise HubRefusalError(exc.code, exc.message, **exc.details) from None


@router.get(
    "/reports", operation_id="hub_report", response_model=HubReport, responses=REPORT_REFUSALS
)
async def hub_report(
    request: Request, actor: ActorDep, first: First, last: Last, branch_id: BranchFilter = None
) -> HubReport:
    """The branch reports of docs/REPORTS.md for the service days ``from``..``to`` (at most
    366), computed from the branches' journals at the hub: each visible branch, and all of
    them together. A regional supervisor sees their region's branches only."""
    return await build_report(request, actor, first, last, branch_id)


@router.get(
    "/reports.csv",
    operation_id="hub_report_csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The report as CSV"},
        **REPORT_REFUSALS,
    },
)
async def hub_report_csv(
    request: Request,
    actor: ActorDep,
    first: First,
    last: Last,
    branch_id: BranchFilter = None,
    lang: Language = Language.ID,
) -> Response:
    """``hub_report`` as one CSV table (UTF-8 with BOM): all branches together, then each
    branch's total, services, counters and officers."""
    report = await build_report(request, actor, first, last, branch_id)
    body = table_csv(report_csv_table(report, lang))
    name = f"laporan-pusat-{first.isoformat()}_{last.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/reports.xlsx",
    operation_id="hub_report_xlsx",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The report as an XLSX workbook",
        },
        **REPORT_REFUSALS,
    },
)
async def hub_report_xlsx(
    request: Request,
    actor: ActorDep,
    first: First,
    last: Last,
    branch_id: BranchFilter = None,
    lang: Language = Language.ID,
) -> Response:
    """``hub_report`` as an XLSX workbook: a sheet of all branches together (the CSV's
    table, arrivals by hour per branch, the IKM per branch), then a sheet per branch with
    its report's tables (summary, arrivals by hour, survey)."""
    report = await build_report(request, actor, first, last, branch_id)
    body, name = report_workbook(report, lang)
    return Response(
        body,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def report_workbook(report: HubReport, language: Language = Language.ID) -> tuple[bytes, str]:
    """The report's workbook and its file name (the API's and the web page's)."""
    from counter_app.export.hub_tables import hub_sheets, hub_title
    from counter_app.export.xlsx_file import workbook_xlsx  # xlsxwriter: only when asked

    body = workbook_xlsx(
        hub_sheets(report, language), hub_title(report, language), report.generated_at
    )
    name = f"laporan-pusat-{report.first_day.isoformat()}_{report.last_day.isoformat()}.xlsx"
    return body, name


@router.get("/dashboard", operation_id="hub_dashboard", response_model=HubDashboard)
async def hub_dashboard(request: Request, actor: ActorDep) -> HubDashboard:
    """Every branch the caller may see, live: people waiting and counters open (the
    branch's figures), the longest wait, today's issued, served, no-shows and share called
    within target (from its journal), and how old the hub's copy is."""
    now = datetime.now(UTC)
    return await _in_transaction(request, lambda s: reports.dashboard(s, actor, now))
