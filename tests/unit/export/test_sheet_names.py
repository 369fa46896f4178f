"""Sheet names as spreadsheet programs accept them: at most 31 characters (as UTF-16
counts), none of []:*?/\\, no apostrophe first or last, different without regard to case."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from counter_app.export.tables import Sheet
from counter_app.export.xlsx_file import SHEET_NAME_LIMIT, sheet_names, workbook_xlsx

LONG = "Kecamatan Cibeber Kabupaten Cianjur Jawa Barat"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_long_names_alike_become_different_names_within_the_limit() -> None:
    names = sheet_names([LONG, LONG + " Selatan", LONG.upper(), "Semua kantor", "semua KANTOR"])
    assert names == [
        "Kecamatan Cibeber Kabupaten Cia",
        "Kecamatan Cibeber Kabupaten (2)",
        "KECAMATAN CIBEBER KABUPATEN (3)",
        "Semua kantor",
        "semua KANTOR (2)",
    ]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("Loket [1]: A/B", "Loket  1   A B"),
        ("'Kantor'", "Kantor"),
        ("*?", "Lembar"),
        ("", "Lembar"),
        ("History", "History (2)"),
        ("Kantor\tBaru", "Kantor Baru"),
        ('=HYPERLINK("http://x")', '=HYPERLINK("http   x")'),
        ("Kantor O'" + "x" * 22 + "'yz", "Kantor O'" + "x" * 22),
    ],
)
def test_forbidden_characters_and_edges(wanted: str, expected: str) -> None:
    assert sheet_names([wanted]) == [expected]


def test_wide_characters_count_as_the_spreadsheet_counts_them() -> None:
    name = sheet_names(["Kantor 🏢" * 6])[0]
    assert _utf16(name) <= SHEET_NAME_LIMIT


def test_every_name_opens_in_a_workbook() -> None:
    wanted = [LONG, LONG, "History", "'a'", "x" * 40, "x" * 40, "Kantor 🏢" * 6, "[]"]
    data = workbook_xlsx(
        [Sheet(name, [name], []) for name in wanted], "t", datetime(2026, 1, 1, tzinfo=UTC)
    )
    book = load_workbook(io.BytesIO(data))
    assert len(book.sheetnames) == len(wanted)
    assert len({n.lower() for n in book.sheetnames}) == len(wanted)
    assert [s.cell(1, 1).value for s in book.worksheets] == wanted
