"""One report table as CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the
Indonesian names right), comma-separated, a dot for decimals, empty cells for "none"."""

from __future__ import annotations

import csv
import io

from counter_app.export.tables import Cell, Table


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:g}" if cell == int(cell) and abs(cell) < 1e15 else repr(cell)
    return str(cell)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
