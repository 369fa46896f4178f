"""A report as an XLSX workbook (xlsxwriter): one sheet per table, numbers as numbers.

Every text cell is written with ``write_string``, so a name typed as ``=HYPERLINK(…)`` stays
text (xlsxwriter's ``write`` would store it as a formula)."""

from __future__ import annotations

import io
from datetime import UTC

import xlsxwriter

from counter_app.export.tables import Language, Table, period_text, report_tables
from counter_app.schemas.reports import ReportSummary

_MAX_WIDTH = 40


def report_xlsx(report: ReportSummary, language: Language = Language.ID) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # A fixed creation time: the same report gives the same file.
    workbook.set_properties(
        {
            "title": period_text(report, language),
            "created": report.generated_at.astimezone(UTC).replace(tzinfo=None),
        }
    )
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    for table in report_tables(report, language):
        _write_sheet(workbook, table, period_text(report, language), bold, header)
    workbook.close()
    return buffer.getvalue()


def _write_sheet(
    workbook: xlsxwriter.Workbook, table: Table, period: str, bold: object, header: object
) -> None:
    sheet = workbook.add_worksheet(table.title[:31])
    sheet.write_string(0, 0, table.title, bold)
    sheet.write_string(1, 0, period)
    first_row = 3
    # write_string, never write/write_row: those turn text starting with "=" into a formula.
    for c, title in enumerate(table.headers):
        sheet.write_string(first_row, c, title, header)
    widths = [len(h) for h in table.headers]
    for r, row in enumerate(table.rows, start=first_row + 1):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, str):
                sheet.write_string(r, c, cell)
            else:
                sheet.write_number(r, c, cell)
            widths[c] = max(widths[c], len(str(cell)))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(_MAX_WIDTH, max(8, width + 2)))
    sheet.freeze_panes(first_row + 1, 0)
