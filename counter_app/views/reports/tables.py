"""A report as the tables people read: text cells in the window's language and locale.

The window's tables and the printable PDF are made from these same rows, so what is printed
is what was on screen. Times are minutes:seconds (``format.duration``), numbers and shares in
the locale (id-ID: ``83,3 %``), dates as ``2 Maret 2026``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from counter_app.schemas.reports import FiguresOut, IkmOut, ReportSummary
from counter_app.views.format import duration

# Called by this name so that pyside6-lupdate finds every text (a wrapper would hide them).
translate = QCoreApplication.translate
DASH = "—"


@dataclass(frozen=True)
class TextTable:
    title: str
    headers: list[str]
    rows: list[list[str]]
    emphasised_last_row: bool = False  # a total under the rows


def figure_headers() -> list[str]:
    return [
        translate("ReportTables", "Name"),
        translate("ReportTables", "Issued"),
        translate("ReportTables", "Served"),
        translate("ReportTables", "No-show"),
        translate("ReportTables", "Cancelled"),
        translate("ReportTables", "Transferred"),
        translate("ReportTables", "Expired"),
        translate("ReportTables", "Mean wait"),
        translate("ReportTables", "90th percentile wait"),
        translate("ReportTables", "Mean service"),
        translate("ReportTables", "Within target"),
    ]


def number(value: int | None) -> str:
    return DASH if value is None else QLocale().toString(value)


def decimal(value: float | None, places: int = 2) -> str:
    return DASH if value is None else QLocale().toString(value, "f", places)


def share(value: float | None) -> str:
    """0.8333 → ``83,3 %`` (id-ID) or ``83.3 %`` (English)."""
    return DASH if value is None else f"{QLocale().toString(value * 100, 'f', 1)} %"


def day_text(day: date) -> str:
    """``2 Maret 2026`` in id-ID."""
    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMMM yyyy")


def period_text(first: date, last: date) -> str:
    if first == last:
        return QLocale().toString(QDate(first.year, first.month, first.day), "dddd, d MMMM yyyy")
    return f"{day_text(first)} – {day_text(last)}"


def figure_cells(name: str, figures: FiguresOut) -> list[str]:
    return [
        name,
        number(figures.issued),
        number(figures.served),
        number(figures.no_show),
        number(figures.cancelled),
        number(figures.transferred),
        number(figures.expired),
        duration(figures.mean_wait_seconds),
        duration(figures.p90_wait_seconds),
        duration(figures.mean_service_seconds),
        share(figures.within_target_share),
    ]


def services_table(report: ReportSummary) -> TextTable:
    rows = [figure_cells(f"{s.prefix} · {s.name}", s) for s in report.services]
    rows.append(figure_cells(translate("ReportTables", "All services"), report.total))
    return TextTable(
        translate("ReportTables", "Per service"), figure_headers(), rows, emphasised_last_row=True
    )


def counters_table(report: ReportSummary) -> TextTable:
    return TextTable(
        translate("ReportTables", "Per counter"),
        figure_headers(),
        [figure_cells(c.name, c) for c in report.counters],
    )


def officers_table(report: ReportSummary) -> TextTable:
    return TextTable(
        translate("ReportTables", "Per officer"),
        figure_headers(),
        [figure_cells(o.name, o) for o in report.officers],
    )


def grade_text(survey: IkmOut) -> str:
    if survey.grade is None:
        return DASH
    return f"{survey.grade} ({survey.grade_label})" if survey.grade_label else survey.grade


def ikm_table(report: ReportSummary) -> TextTable:
    """The nine element means (NRR), the responses, the index and its grade: for all
    services, then each service."""
    surveys = [report.survey, *(s.survey for s in report.services)]
    headers = [
        translate("ReportTables", "Element"),
        translate("ReportTables", "All services"),
        *(f"{s.prefix} · {s.name}" for s in report.services),
    ]
    rows = [
        [f"{element.code} {element.name}", *(decimal(s.elements[i].mean) for s in surveys)]
        for i, element in enumerate(report.survey.elements)
    ]
    rows.append([translate("ReportTables", "Responses"), *(number(s.responses) for s in surveys)])
    rows.append([translate("ReportTables", "IKM"), *(decimal(s.index) for s in surveys)])
    rows.append([translate("ReportTables", "Grade"), *(grade_text(s) for s in surveys)])
    return TextTable(translate("ReportTables", "Satisfaction survey (IKM)"), headers, rows)


def ikm_headline(survey: IkmOut) -> str:
    if survey.index is None:
        return translate("ReportTables", "IKM: no survey responses in this period")
    return translate("ReportTables", "IKM {index} · grade {grade} · {count} responses").format(
        index=decimal(survey.index), grade=grade_text(survey), count=number(survey.responses)
    )


def table_html(table: TextTable) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = []
    for index, row in enumerate(table.rows):
        last = table.emphasised_last_row and index == len(table.rows) - 1
        cells = "".join(
            ('<td align="right">' if column else '<td style="white-space: nowrap">')
            + (f"<b>{escape(cell)}</b>" if last else escape(cell))
            + "</td>"
            for column, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<h3>{escape(table.title)}</h3>"
        f'<table border="1" cellspacing="0" cellpadding="3" width="100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
