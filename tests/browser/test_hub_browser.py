"""The hub's regional dashboard in a real browser on a small phone (docs/HUB.md): log in with
the form, see the region's branches, watch the table follow a push without reloading (the
page's script runs under its Content-Security-Policy), and log out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from counter_app.hub import store, web
from counter_app.hub.app import create_hub_app
from counter_app.server.background import BackgroundServer
from tests.support.databases import fresh_pg_database
from tests.support.hub_journal import Visit, day_events, push_day
from tests.support.ports import free_port

pytestmark = [pytest.mark.postgres]
PASSWORD = "hub-browser-password-1"


@dataclass
class Hub:
    url: str
    keys: dict[str, str]


@pytest.fixture
def hub() -> Iterator[Hub]:
    with fresh_pg_database() as url:
        app = create_hub_app(url)
        with app.state.sessions.begin() as session:
            assert isinstance(session, Session)
            store.add_user(session, "pengawas", PASSWORD, store.REGIONAL_SUPERVISOR, "Cianjur")
            keys = {
                name: store.add_branch(session, name, region)[1]
                for name, region in (
                    ("Kecamatan Cibeber", "Cianjur"),
                    ("Kecamatan Cilaku", "Bandung"),
                )
            }
        with BackgroundServer(app, "127.0.0.1", free_port(), log_level="warning") as server:
            yield Hub(server.url, keys)


def test_phone_login_live_table_and_logout(
    hub: Hub, phone: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "REFRESH_MS", 500)
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    visits = [Visit(0, 5, 12), Visit(3, 12, 20), Visit(6, 20, 31), Visit(30), Visit(32)]
    events = day_events(today, "Asia/Jakarta", visits)
    push_day(hub.url, hub.keys["Kecamatan Cibeber"], events, waiting=2, open_counters=1, name="A")
    other = day_events(today, "Asia/Jakarta", [Visit(0)])
    push_day(hub.url, hub.keys["Kecamatan Cilaku"], other, waiting=1, open_counters=0, name="B")

    phone.goto(f"{hub.url}/pusat")
    expect(phone).to_have_url(f"{hub.url}/pusat/masuk")
    phone.get_by_label("Nama pengguna").fill("pengawas")
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    expect(phone).to_have_url(f"{hub.url}/pusat")
    row = phone.locator("tr[data-branch]").first
    expect(row).to_contain_text("Kecamatan Cibeber")
    expect(phone.locator("body")).not_to_contain_text("Kecamatan Cilaku")  # another region
    expect(row.locator("td.waiting")).to_have_text("2")
    expect(row.locator("td.issued")).to_have_text("5")
    expect(row.locator("td.served")).to_have_text("3")
    expect(row.locator("td.sla")).to_contain_text("100")  # waits 5, 9, 14 min; target 30
    expect(row).to_have_class("fresh")

    # The branch pushes a new ticket: the table follows, the page is not reloaded.
    phone.evaluate("window.notReloaded = true")
    more = day_events(today, "Asia/Jakarta", [*visits, Visit(40)])
    push_day(
        hub.url,
        hub.keys["Kecamatan Cibeber"],
        more,
        waiting=3,
        open_counters=1,
        name="A",
        after=len(events),
    )
    expect(row.locator("td.issued")).to_have_text("6", timeout=10_000)
    expect(phone.locator("tr[data-branch] td.waiting").first).to_have_text("3")
    assert phone.evaluate("window.notReloaded") is True

    phone.get_by_role("button", name="Keluar").click()
    expect(phone).to_have_url(f"{hub.url}/pusat/masuk")
    phone.goto(f"{hub.url}/pusat")
    expect(phone).to_have_url(f"{hub.url}/pusat/masuk")


def test_the_report_prints_without_the_page_around_it(hub: Hub, browser: Browser) -> None:
    """The report page's print button calls the browser's print; printed (or saved as PDF)
    the page is A4 landscape without navigation, form or links, with the period, the
    branches and the time of the report on top."""
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    visits = [Visit(0, 5, 12), Visit(3, 12, 20), Visit(30)]
    events = day_events(today, "Asia/Jakarta", visits)
    push_day(hub.url, hub.keys["Kecamatan Cibeber"], events, waiting=1, open_counters=1, name="A")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{hub.url}/pusat/masuk")
        page.get_by_label("Nama pengguna").fill("pengawas")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        expect(page).to_have_url(f"{hub.url}/pusat")
        page.goto(f"{hub.url}/pusat/laporan")
        expect(page.locator("tr.branch").first).to_contain_text("Kecamatan Cibeber")
        button = page.get_by_role("button", name="Cetak / simpan PDF")
        expect(button).to_be_visible()  # shown by the page's script (its CSP nonce)
        page.evaluate("window.print = () => { window.printed = true; }")
        button.click()
        assert page.evaluate("window.printed") is True

        page.emulate_media(media="print")
        for hidden in ("header", "form.filters", ".actions"):
            expect(page.locator(hidden)).to_be_hidden()
        meta = page.locator("#report-meta")
        expect(meta).to_be_visible()
        expect(meta).to_contain_text(f"Periode {today} s.d. {today}")
        expect(meta).to_contain_text("semua kantor wilayah Cianjur")
        expect(meta).to_contain_text("WIB oleh pengawas")
        expect(page.locator("#report thead")).to_have_css("display", "table-header-group")
        pdf = page.pdf(prefer_css_page_size=True)
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        assert boxes, pdf[:300]
        width, height = (float(v) for v in boxes[0])
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    finally:
        context.close()
