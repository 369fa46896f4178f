#!/usr/bin/env python3
"""Render the hub's regional dashboard and report pages into docs/screenshots/ (docs/HUB.md).

A hub runs in this process on an empty PostgreSQL database given with ``--db``; five
branches of one region push a morning each (hand-written journals, as in the browser tests:
tests/support/hub_journal.py), one has not been heard of for four minutes (stale) and one
for two hours (offline). The system's Chromium (``/usr/bin/chromium``) driven by Playwright
logs in as the region's supervisor and takes the dashboard on a PC (1280×800) and on a small
phone (360×740), and the report page.

    createdb hubshots && .venv/bin/python scripts/screenshots_hub.py --db postgresql://…/hubshots
"""

from __future__ import annotations

import argparse
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright
from sqlalchemy import update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counter_app.hub import store  # noqa: E402
from counter_app.hub.app import create_hub_app  # noqa: E402
from counter_app.hub.models import HubBranch  # noqa: E402
from counter_app.server.background import BackgroundServer  # noqa: E402
from tests.support.hub_journal import Visit, day_events, push_day  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshot-password"
ZONE = "Asia/Jakarta"


def morning(
    issued: int, served: int, gap: float, service: float, called_late: int = 0
) -> list[Visit]:
    """``issued`` citizens ``gap`` minutes apart; the first ``served`` called in turn and
    served in ``service`` minutes; ``called_late`` more called after a long wait."""
    visits = []
    clock = 0.0
    for number in range(issued):
        arrival = number * gap
        if number < served:
            called = max(clock, arrival) + 1
            clock = called + service
            visits.append(Visit(arrival, called, clock))
        elif number < served + called_late:
            called = max(clock, arrival) + 50
            clock = called + service
            visits.append(Visit(arrival, called, clock))
        else:
            visits.append(Visit(arrival))
    return visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an empty PostgreSQL database")
    args = parser.parse_args()
    app = create_hub_app(args.db)
    now = datetime.now(ZoneInfo(ZONE))
    today = now.date()
    # The morning began four hours ago (or at midnight, early in the day): live waits.
    opens = max(now - timedelta(hours=4), now.replace(hour=0, minute=0, second=0)).time()
    branches = [
        ("Kecamatan Cianjur", morning(48, 31, 4.0, 5.5), 6, 3, None),
        ("Kecamatan Cibeber", morning(35, 22, 5.0, 6.0, 4), 9, 2, None),
        ("Kecamatan Cilaku", morning(22, 18, 7.0, 6.5), 3, 2, None),
        ("Kecamatan Karangtengah", morning(30, 17, 5.0, 8.0, 3), 10, 1, timedelta(minutes=4)),
        ("Kecamatan Warungkondang", morning(12, 9, 9.0, 7.0), 2, 1, timedelta(hours=2)),
    ]
    with app.state.sessions.begin() as session:
        store.add_user(session, "pengawas", PASSWORD, store.REGIONAL_SUPERVISOR, "Cianjur")
        keys = {name: store.add_branch(session, name, "Cianjur")[1] for name, *_ in branches}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with BackgroundServer(app, "127.0.0.1", port, log_level="warning") as server:
        for name, visits, waiting, counters, silent in branches:
            events = day_events(today, ZONE, visits, opens)
            push_day(
                server.url, keys[name], events, waiting=waiting, open_counters=counters, name=name
            )
            if silent is not None:
                with app.state.sessions.begin() as session:
                    session.execute(
                        update(HubBranch)
                        .where(HubBranch.name == name)
                        .values(last_sync_at=datetime.now(UTC) - silent)
                    )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            for label, viewport, mobile in (
                ("hub-dashboard", {"width": 1280, "height": 800}, False),
                ("hub-dashboard-phone", {"width": 360, "height": 740}, True),
            ):
                context = browser.new_context(viewport=viewport, is_mobile=mobile, locale="id-ID")
                page = context.new_page()
                page.goto(f"{server.url}/pusat/masuk")
                page.get_by_label("Nama pengguna").fill("pengawas")
                page.get_by_label("Kata sandi").fill(PASSWORD)
                page.get_by_role("button", name="Masuk").click()
                page.wait_for_url(f"{server.url}/pusat")
                page.screenshot(path=str(OUT / f"{label}.png"), full_page=not mobile)
                if not mobile:
                    page.goto(f"{server.url}/pusat/laporan")
                    page.screenshot(path=str(OUT / "hub-report.png"), full_page=True)
                context.close()
            browser.close()
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
