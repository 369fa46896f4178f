#!/usr/bin/env python3
"""Write the table of error codes in docs/API.md from the one table in the code.

The table sits between the markers ``<!-- error-codes:begin -->`` and
``<!-- error-codes:end -->``: one row per code, by status, with the English text. Run after
adding or changing a code (tests/unit/test_error_codes.py fails until the file matches):

    .venv/bin/python scripts/api_error_table.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counter_app.core.error_codes import ERRORS

ROOT = Path(__file__).resolve().parent.parent
API_DOC = ROOT / "docs" / "API.md"
BEGIN = "<!-- error-codes:begin -->"
END = "<!-- error-codes:end -->"


def table() -> str:
    """The Markdown table: status, code, what it means."""
    rows = ["| status | code | meaning |", "|---|---|---|"]
    for code, spec in sorted(ERRORS.items(), key=lambda item: (item[1].status, item[0].value)):
        text = spec.text_en.replace("|", "\\|")
        rows.append(f"| {int(spec.status)} | `{code.value}` | {text} |")
    return "\n".join(rows)


def with_table(document: str) -> str:
    """``document`` with the text between the markers replaced by :func:`table`."""
    start = document.index(BEGIN) + len(BEGIN)
    end = document.index(END)
    return f"{document[:start]}\n{table()}\n{document[end:]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args()
    current = API_DOC.read_text(encoding="utf-8")
    wanted = with_table(current)
    if args.check:
        if current != wanted:
            print("docs/API.md: the error table is out of date", file=sys.stderr)
            return 1
        return 0
    API_DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
