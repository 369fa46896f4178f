"""The build backend: setuptools, plus the windows' compiled translations in every build.

The Qt catalogues (resources/translations/*.ts) are compiled to *.qm with Qt's lrelease,
which ships in PySide6-Essentials. The .qm files are build output (not in git), so a wheel
or sdist built from a clean checkout would lack them; this backend compiles them into the
source tree first (the same files scripts/build_translations.py writes). PySide6-Essentials
is asked for as a build requirement only when a .qm is missing or older than its .ts (an
sdist carries its .qm files, so building from one fetches no Qt).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the rest of the backend, unchanged)

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
# Same bound as the project's own Qt requirement (pyproject.toml, [stations]).
LRELEASE_REQUIREMENT = "PySide6-Essentials>=6.7,!=6.12.0"
_LRELEASE = (
    "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease'; "
    "lrelease()"
)


def _stale_catalogues() -> list[Path]:
    """The .ts files whose .qm is missing or older."""
    stale = []
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.is_file() or qm.stat().st_mtime < ts.stat().st_mtime:
            stale.append(ts)
    return stale


def _lrelease_requirement() -> list[str]:
    return [LRELEASE_REQUIREMENT] if _stale_catalogues() else []


def _compile_translations() -> None:
    for ts in _stale_catalogues():
        qm = ts.with_suffix(".qm")
        subprocess.run(
            [sys.executable, "-c", _LRELEASE, "-silent", str(ts), "-qm", str(qm)], check=True
        )
        if not qm.is_file():
            raise RuntimeError(f"lrelease did not write {qm}")


Settings = dict[str, Any] | None


def get_requires_for_build_wheel(config_settings: Settings = None) -> list[str]:
    return _setuptools.get_requires_for_build_wheel(config_settings) + _lrelease_requirement()


def get_requires_for_build_sdist(config_settings: Settings = None) -> list[str]:
    return _setuptools.get_requires_for_build_sdist(config_settings) + _lrelease_requirement()


def get_requires_for_build_editable(config_settings: Settings = None) -> list[str]:
    return _setuptools.get_requires_for_build_editable(config_settings) + _lrelease_requirement()


def build_wheel(
    wheel_directory: str, config_settings: Settings = None, metadata_directory: str | None = None
) -> str:
    _compile_translations()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory: str, config_settings: Settings = None) -> str:
    _compile_translations()
    return _setuptools.build_sdist(sdist_directory, config_settings)


def build_editable(
    wheel_directory: str, config_settings: Settings = None, metadata_directory: str | None = None
) -> str:
    _compile_translations()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
