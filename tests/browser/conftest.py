"""Browser tests: the system's headless Chromium driven by Playwright against a live server.

No browser is ever downloaded: Playwright launches ``/usr/bin/chromium`` (the Debian package
the bootstrap installs). Without it the tests skip with the reason, except in CI, where they
fail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.booking import Booking
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}  # a cheap phone


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


@pytest.fixture
def bk(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> Iterator[Booking]:
    """A live server with the demo office, its clock frozen on a Monday at 08:00 WIB."""
    clock = FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    with run_server(sqlite_copy(sqlite_office_template, tmp_path), clock=clock) as server:
        yield Booking(server, sqlite_office_template.office, clock, Api(server.url))


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A real Chromium for each test takes seconds: out of the quick loop
    (scripts/test.sh --quick), in every full run."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)
