"""Reports as XLSX workbooks (xlsxwriter): sheets of tables, numbers as numbers.

Every text cell is written with ``write_string``, so a name typed as ``=HYPERLINK(…)`` stays
text (xlsxwriter's ``write`` would store it as a formula). Text that starts as a formula
would (``=``, ``+``, ``-``, ``@``, tab, return: ``csv_file.FORMULA_STARTS``) also carries
the cell's *quote prefix*, what a spreadsheet program sets for a typed ``'``: it shows as
typed and stays text when someone edits the cell (the CSV writes the ``'`` itself).

Sheet names follow the spreadsheet programs' rules (``sheet_names``): at most 31
characters, none of ``[]:*?/\\``, no ``'`` first or last, unique without regard to case.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from counter_app.export.csv_file import FORMULA_STARTS
from counter_app.export.tables import Language, Sheet, Table, period_text, report_tables
from counter_app.schemas.reports import ReportSummary

_MAX_WIDTH = 40
SHEET_NAME_LIMIT = 31  # characters as the spreadsheet counts them (UTF-16 units)
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_RESERVED = {"history"}  # Excel keeps this name for itself


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        header = {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}
        self.plain: Format | None = None
        self.quoted = workbook.add_format({"quote_prefix": True})
        self.bold = workbook.add_format({"bold": True})
        self.bold_quoted = workbook.add_format({"bold": True, "quote_prefix": True})
        self.header = workbook.add_format(header)
        self.header_quoted = workbook.add_format({**header, "quote_prefix": True})


def report_xlsx(report: ReportSummary, language: Language = Language.ID) -> bytes:
    """A branch's report: one sheet per table (summary, arrivals by hour, survey)."""
    period = period_text(report, language)
    tables = report_tables(report, language)
    sheets = [Sheet(t.title, [t.title, period], [t]) for t in tables]
    return workbook_xlsx(sheets, period, report.generated_at)


def workbook_xlsx(sheets: Sequence[Sheet], title: str, created: datetime) -> bytes:
    """The sheets as one workbook, their names made valid and unique (``sheet_names``).
    ``created`` is stored as its creation time, so the same report gives the same file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {"title": title, "created": created.astimezone(UTC).replace(tzinfo=None)}
    )
    formats = _Formats(workbook)
    for name, sheet in zip(sheet_names([s.name for s in sheets]), sheets, strict=True):
        _write_sheet(workbook, name, sheet, formats)
    workbook.close()
    return buffer.getvalue()


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> str:
    while _units(text) > limit:
        text = text[:-1]
    return text


def _tidy(text: str, limit: int) -> str:
    return _fit(text, limit).strip().strip("'").strip()


def sheet_names(wanted: Sequence[str], fallback: str = "Lembar") -> list[str]:
    """A valid sheet name for each of ``wanted``, in order, all different: forbidden
    characters become spaces, long names are cut, and a name already taken (in any case)
    gets `` (2)``, `` (3)``… within the limit."""
    taken: set[str] = set()
    names: list[str] = []
    for want in wanted:
        base = _tidy(_NOT_IN_SHEET_NAMES.sub(" ", want), SHEET_NAME_LIMIT) or fallback
        name, number = base, 2
        while name.lower() in taken or name.lower() in _RESERVED:
            suffix = f" ({number})"
            name = _tidy(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
            number += 1
        taken.add(name.lower())
        names.append(name)
    return names


def _text(
    sheet: Worksheet, row: int, col: int, text: str, plain: Format | None, quoted: Format
) -> None:
    # write_string, never write/write_row: those turn text starting with "=" into a formula.
    sheet.write_string(row, col, text, quoted if text.startswith(FORMULA_STARTS) else plain)


def _write_sheet(workbook: xlsxwriter.Workbook, name: str, spec: Sheet, formats: _Formats) -> None:
    sheet = workbook.add_worksheet(name)
    for r, line in enumerate(spec.heading):
        if r == 0:
            _text(sheet, r, 0, line, formats.bold, formats.bold_quoted)
        else:
            _text(sheet, r, 0, line, formats.plain, formats.quoted)
    row = len(spec.heading) + 1
    one = len(spec.tables) == 1
    widths: list[int] = []
    for table in spec.tables:
        if not one:  # a sheet of one table has its title as the heading
            _text(sheet, row, 0, table.title, formats.bold, formats.bold_quoted)
            row += 1
        if one:
            sheet.freeze_panes(row + 1, 0)
        row = _write_table(sheet, table, row, formats, widths) + 1
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(_MAX_WIDTH, max(8, width + 2)))


def _write_table(
    sheet: Worksheet, table: Table, first_row: int, formats: _Formats, widths: list[int]
) -> int:
    """``table`` from ``first_row`` (its headers) on; the row after its last."""
    for c, title in enumerate(table.headers):
        _text(sheet, first_row, c, title, formats.header, formats.header_quoted)
    grown = [len(h) for h in table.headers]
    r = first_row
    for r, row in enumerate(table.rows, start=first_row + 1):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, str):
                _text(sheet, r, c, cell, formats.plain, formats.quoted)
            else:
                sheet.write_number(r, c, cell)
            grown[c] = max(grown[c], len(str(cell)))
    for c, width in enumerate(grown):
        if c < len(widths):
            widths[c] = max(widths[c], width)
        else:
            widths.append(width)
    return r + 1
