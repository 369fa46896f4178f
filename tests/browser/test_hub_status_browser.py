"""The hub's live pages in a real browser on a small phone: the ticket status page follows
the branch's pushes without reloading, and the regional dashboard follows a push long before
its slow poll would (both scripts run under the pages' Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from counter_app.hub import store, web
from counter_app.hub.app import create_hub_app
from counter_app.server.background import BackgroundServer
from tests.support.databases import fresh_pg_database
from tests.support.hub_journal import Visit, day_events, push_day
from tests.support.hub_tickets import Journal, push
from tests.support.ports import free_port

pytestmark = [pytest.mark.postgres]
PASSWORD = "hub-browser-password-2"


@dataclass
class Hub:
    url: str
    key: str


@pytest.fixture
def hub() -> Iterator[Hub]:
    with fresh_pg_database() as url:
        app = create_hub_app(url)
        with app.state.sessions.begin() as session:
            assert isinstance(session, Session)
            store.add_user(session, "pengawas", PASSWORD, store.REGIONAL_SUPERVISOR, "Cianjur")
            key = store.add_branch(session, "Kecamatan Cibeber", "Cianjur")[1]
        with BackgroundServer(app, "127.0.0.1", free_port(), log_level="warning") as server:
            yield Hub(server.url, key)


def test_the_ticket_page_follows_the_pushes(hub: Hub, phone: Page) -> None:
    journal = Journal()
    journal.issue("KODE1001")
    journal.issue("KODE1002")
    push(hub.url, hub.key, journal)
    phone.goto(f"{hub.url}/t/KODE1002")
    expect(phone.locator("#ahead")).to_have_text("1 orang")
    expect(phone.locator("#now-calling")).to_have_text("–")
    phone.evaluate("window.notReloaded = true")

    journal.move("KODE1001", "called")  # the citizen before is called
    push(hub.url, hub.key, journal)
    expect(phone.locator("#ahead")).to_have_text("0 orang", timeout=5_000)
    expect(phone.locator("#now-calling")).to_have_text("A-001")

    journal.move("KODE1002", "called", counter=2)  # now this one
    push(hub.url, hub.key, journal)
    expect(phone.locator("#state")).to_have_text(
        "Dipanggil — silakan menuju Loket 2", timeout=5_000
    )
    expect(phone.locator("#waiting-info")).to_be_hidden()
    expect(phone.locator("#as-of")).to_contain_text("menit yang lalu")
    assert phone.evaluate("window.notReloaded") is True


def test_the_dashboard_follows_a_push_before_its_poll(
    hub: Hub, phone: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "REFRESH_MS", 600_000)  # the poll would come in half an hour
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    visits = [Visit(0, 5, 12), Visit(3)]
    events = day_events(today, "Asia/Jakarta", visits)
    push_day(hub.url, hub.key, events, waiting=1, open_counters=1, name="A")
    phone.goto(f"{hub.url}/pusat/masuk")
    phone.get_by_label("Nama pengguna").fill("pengawas")
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    expect(phone).to_have_url(f"{hub.url}/pusat")
    row = phone.locator("tr[data-branch]").first
    expect(row.locator("td.issued")).to_have_text("2")
    phone.evaluate("window.notReloaded = true")
    phone.wait_for_timeout(500)  # the page's stream is open

    more = day_events(today, "Asia/Jakarta", [*visits, Visit(40)])
    push_day(hub.url, hub.key, more, waiting=2, open_counters=1, name="A", after=len(events))
    expect(row.locator("td.issued")).to_have_text("3", timeout=8_000)
    expect(row.locator("td.waiting")).to_have_text("2")
    assert phone.evaluate("window.notReloaded") is True
