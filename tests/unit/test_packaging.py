"""Every package in the source tree is listed for the wheel (the list is explicit because
resources/ is mapped into the package from the top of the repository)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "counter_app").rglob("__init__.py")
    }
    # resources/ is mapped into the package; its data folders (and the web pages' templates)
    # are listed as packages so setuptools ships them without warnings.
    resources = {
        "counter_app.resources",
        "counter_app.resources.sounds",
        "counter_app.resources.translations",
        "counter_app.server.web.templates",
    }
    assert found | resources == listed
