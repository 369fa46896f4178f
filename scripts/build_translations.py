#!/usr/bin/env python3
"""Compile the Qt Linguist catalogues: resources/translations/*.ts → *.qm (pyside6-lrelease).

Run by scripts/bootstrap.sh on every run (it takes well under a second). The .qm files are
build output and not kept in git. With ``--update``, first refresh the .ts files from the
``tr()`` texts in counter_app/views (pyside6-lupdate keeps the translations already made and
drops texts no longer used); translate the new entries (Qt Linguist, or any editor: a new
entry has ``type="unfinished"``), then build.

The tools are the ones installed with PySide6, next to the Python running this script, so
    .venv/bin/python scripts/build_translations.py [--update]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
SOURCES = ROOT / "counter_app" / "views"


def tool(name: str) -> Path:
    """A PySide6 tool installed beside this interpreter (bin/ on Unix, Scripts\\ on Windows)."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.exists():
            return candidate
    raise SystemExit(f"build_translations: {name} not found next to {sys.executable}")


def update(catalogues: list[Path]) -> None:
    for ts in catalogues:
        subprocess.run(
            [
                str(tool("pyside6-lupdate")),
                "-extensions",
                "py",
                "-locations",
                "none",
                "-no-obsolete",
                "-silent",
                str(SOURCES),
                "-ts",
                str(ts),
            ],
            check=True,
        )


def build(catalogues: list[Path]) -> None:
    for ts in catalogues:
        qm = ts.with_suffix(".qm")
        subprocess.run(
            [str(tool("pyside6-lrelease")), "-silent", str(ts), "-qm", str(qm)], check=True
        )
        if not qm.is_file():
            raise SystemExit(f"build_translations: {qm} was not written")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update", action="store_true", help="refresh the .ts files from the sources first"
    )
    args = parser.parse_args()
    catalogues = sorted(TRANSLATIONS.glob("*.ts"))
    if not catalogues:
        raise SystemExit(f"build_translations: no .ts files in {TRANSLATIONS}")
    if args.update:
        update(catalogues)
    build(catalogues)
    print(f"translations: {', '.join(ts.with_suffix('.qm').name for ts in catalogues)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
