"""One report table as CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the
Indonesian names right), comma-separated, a dot for decimals, empty cells for "none".

Text cells come from people (service, counter and officer names), and a spreadsheet program
runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(…)``,
``+cmd|…``). Such text cells are written with a leading ``'`` so they show as typed (the
OWASP advice for CSV injection). Numbers stay numbers: a negative number is not text.
"""

from __future__ import annotations

import csv
import io

from counter_app.export.tables import Cell, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return f"{cell:g}" if cell == int(cell) and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, int):
        return str(cell)
    return safe_text_cell(cell)


def safe_text_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: a ``'`` before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
