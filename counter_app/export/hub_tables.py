"""The hub's report across branches (``schemas.hub.HubReport``) as tables and sheets, from
the branch report's own tables (``export.tables``): the CSV's one table, and the XLSX's sheet
of all branches together followed by a sheet per branch (docs/HUB.md, "Reports across
branches")."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from counter_app.export.tables import (
    SUMMARY_KEYS,
    Cell,
    Language,
    Sheet,
    Table,
    TableName,
    hours_columns,
    period_text,
    report_tables,
    summary_cells,
    summary_table,
    survey_columns,
    word,
)
from counter_app.schemas.hub import HubReport

HUB_ZONE = "Asia/Jakarta"  # the hub's clock for "generated at" (hub.reports.DEFAULT_ZONE)
_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def hub_summary_table(report: HubReport, language: Language = Language.ID) -> Table:
    """The summary table of every branch (docs/REPORTS.md, "Exports"), a first column naming
    the branch, after one row for all of them together."""
    combined = report.combined
    rows: list[list[Cell]] = [
        [
            word("total", language),
            word("total", language),
            None,
            word("all", language),
            *summary_cells(combined.total, combined.survey),
        ]
    ]
    for branch in report.branches:
        if branch.report is not None:
            rows.extend([branch.name, *row] for row in summary_table(branch.report, language).rows)
    headers = [word("branch", language), *(word(key, language) for key in SUMMARY_KEYS)]
    return Table(TableName.SUMMARY, word("summary", language), headers, rows)


def hub_period_text(report: HubReport, language: Language) -> str:
    first, last = report.first_day.isoformat(), report.last_day.isoformat()
    span = first if first == last else f"{first} – {last}"
    return f"{word('period', language)} {span}"


def hub_title(report: HubReport, language: Language) -> str:
    return f"{word('across_branches', language)} · {hub_period_text(report, language)}"


def generated_text(report: HubReport, language: Language, zone: str = HUB_ZONE) -> str:
    at = report.generated_at.astimezone(ZoneInfo(zone))
    return f"{word('generated', language)} {at:%Y-%m-%d %H:%M} {_ZONE_NAMES.get(zone, zone)}"


def hub_sheets(report: HubReport, language: Language = Language.ID) -> list[Sheet]:
    """All branches together (the CSV's table, arrivals by hour and the IKM per branch),
    then a sheet per branch with its own report's tables. The sheet names are wanted names:
    ``xlsx_file.sheet_names`` makes them valid and unique."""
    shown = [b for b in report.branches if b.report is not None]
    named = [b.name for b in shown]
    together = Sheet(
        word("all_branches", language),
        [
            word("across_branches", language),
            f"{hub_period_text(report, language)} · {report.combined.branches} "
            f"{word('branches', language)}",
            generated_text(report, language),
        ],
        [
            hub_summary_table(report, language),
            hours_columns(
                named,
                [b.report.arrivals_by_hour for b in shown if b.report is not None],
                report.combined.arrivals_by_hour,
                language,
            ),
            survey_columns(
                word("all_branches", language),
                named,
                [report.combined.survey, *(b.report.survey for b in shown if b.report)],
                language,
            ),
        ],
    )
    sheets = [together]
    for branch in report.branches:
        where = f"{word('region', language)} {branch.region}" if branch.region else ""
        if branch.report is None:
            lines = [branch.name, where, hub_period_text(report, language)]
            lines += [generated_text(report, language), word("no_profile", language)]
            sheets.append(Sheet(branch.name, [line for line in lines if line], []))
            continue
        lines = [branch.name, where, period_text(branch.report, language)]
        lines.append(generated_text(report, language))
        tables = report_tables(branch.report, language)
        sheets.append(Sheet(branch.name, [line for line in lines if line], tables))
    return sheets
