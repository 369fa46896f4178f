"""Browser tests: the system's headless Chromium driven by Playwright against a live server.

No browser is ever downloaded: Playwright launches ``/usr/bin/chromium`` (the Debian package
the bootstrap installs). Without it the tests skip with the reason, except in CI, where they
fail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (scripts/bootstrap.sh test installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            yield found
        finally:
            found.close()
