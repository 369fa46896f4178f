"""The hub's regional view end to end (docs/HUB.md, "Regional view and reports"): a real hub
on PostgreSQL, real branch servers pushing to it, the dashboard and reports read as a hub
admin, a regional supervisor and a branch's link key would read them, over the API and the
web pages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.e2e.hub_processes import HUB_API, HubProcess, add_branch, hub_cli, wait_for
from tests.e2e.processes import PASSWORD, ServerPool, counter_ids, login, officer_name
from tests.e2e.test_hub import Branch
from tests.support.databases import fresh_pg_database

pytestmark = [pytest.mark.postgres]
STALE, OFFLINE = 3, 6  # seconds, for the hub under test (a minute and five in production)
# The branches under test push without events every second (15 s in production).
QUICK = {"COUNTER_APP_HUB_HEARTBEAT_SECONDS": "1", "COUNTER_APP_HUB_FEED_SECONDS": "1"}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    with fresh_pg_database() as url:
        done = hub_cli("init", "--db", url)
        assert done.returncode == 0, done.stderr
        env = {
            "COUNTER_APP_HUB_STALE_SECONDS": str(STALE),
            "COUNTER_APP_HUB_OFFLINE_SECONDS": str(OFFLINE),
        }
        process = HubProcess(url, tmp_path / "hub.log", workers=2, env=env)
        try:
            yield process.start()
        finally:
            process.stop()


def regional_user(hub: HubProcess, name: str, region: str) -> requests.Session:
    done = hub_cli(
        "add-user",
        name,
        "--region",
        region,
        "--db",
        hub.db_url,
        env={"COUNTER_APP_NEW_PASSWORD": PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    return hub.login(name)


def get(session: requests.Session, hub: HubProcess, path: str, status: int = 200) -> Any:
    r = session.get(f"{hub.url}{HUB_API}{path}", timeout=60)
    assert r.status_code == status, r.text
    return r.json()


def serve_some(branch: Branch, issued: int, served: int) -> None:
    """``issued`` tickets, the first ``served`` of them called and finished at Loket 1."""
    branch.issue(issued)
    officer = login(branch.server.url, officer_name(1))
    counter = counter_ids(branch.supervisor, branch.branch_id)[1]
    assert officer.post(f"/counters/{counter}/state", {"state": "open"}).status_code == 200
    for _ in range(served):
        r = officer.post(f"/counters/{counter}/call-next")
        assert r.status_code == 200, r.text
        ticket = r.json()["ticket"]
        assert officer.post(f"/tickets/{ticket['id']}/finish").status_code == 200


def branch_report(branch: Branch, day: str) -> dict[str, Any]:
    r = branch.supervisor.get(f"/branches/{branch.branch_id}/reports/summary?from={day}&to={day}")
    assert r.status_code == 200, r.text
    report: dict[str, Any] = r.json()
    return report


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report without what names it (the hub numbers branches its own way) or dates it."""
    return {
        k: v for k, v in report.items() if k not in ("branch_id", "branch_name", "generated_at")
    }


def row_of(board: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in board["branches"] if r["name"] == name)


def synced(hub: HubProcess, admin: requests.Session, name: str, branch: Branch) -> bool:
    row = next(r for r in hub.status(admin) if r["name"] == name)
    return bool(row["hub_seq"] == branch.seq() and row["figures_seq"] == branch.seq())


class Browser:
    """A plain HTTP client that keeps cookies, as a phone's browser would."""

    def __init__(self, hub: HubProcess) -> None:
        self.hub = hub
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(f"{self.hub.url}{path}", timeout=60, allow_redirects=False)

    def token(self, path: str) -> str:
        page = self.get(path)
        assert page.status_code == 200, page.text
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert found, page.text
        return found.group(1)

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        token = self.token("/pusat/masuk")
        return self.session.post(
            f"{self.hub.url}/pusat/masuk",
            data={"username": username, "password": password, "csrf_token": token},
            timeout=60,
            allow_redirects=False,
        )


@pytest.mark.slow
def test_dashboard_reports_and_who_sees_what(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    key_a = add_branch(hub.db_url, "Kecamatan Cibeber", region="Cianjur")
    key_b = add_branch(hub.db_url, "Kecamatan Cilaku", region="Bandung")
    add_branch(hub.db_url, "Kecamatan Karangtengah", region="Cianjur")  # never connects
    a = Branch(servers, tmp_path, "cibeber", hub, key_a, QUICK).start()
    b = Branch(servers, tmp_path, "cilaku", hub, key_b, QUICK).start()
    serve_some(a, issued=6, served=2)
    serve_some(b, issued=3, served=1)
    admin = hub.login()
    wait_for(
        "both branches synced",
        lambda: (
            synced(hub, admin, "Kecamatan Cibeber", a) and synced(hub, admin, "Kecamatan Cilaku", b)
        ),
        timeout=30,
    )
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()

    check_dashboard(hub, admin, today)
    ids = check_reports(hub, admin, today, a, b)
    check_regional(hub, today, ids)
    check_link_key(hub, key_a, today)
    check_web(hub, today, ids)
    check_offline(hub, admin, a, b)
    servers.assert_no_alarms()


def check_dashboard(hub: HubProcess, admin: requests.Session, today: str) -> None:
    # The dashboard (hub admin): every branch, with the numbers the branches have.
    board = get(admin, hub, "/dashboard")
    assert [r["name"] for r in board["branches"]] == [
        "Kecamatan Cibeber",
        "Kecamatan Cilaku",
        "Kecamatan Karangtengah",
    ]
    cibeber = row_of(board, "Kecamatan Cibeber")
    assert (cibeber["waiting"], cibeber["open_counters"]) == (4, 1)
    assert (cibeber["issued"], cibeber["served"], cibeber["no_show"]) == (6, 2, 0)
    assert (cibeber["called"], cibeber["within_target"], cibeber["within_target_share"]) == (
        2,
        2,
        1.0,
    )
    assert cibeber["service_day"] == today and cibeber["freshness"] == "fresh"
    assert cibeber["longest_wait_seconds"] is not None and cibeber["longest_wait_seconds"] < 120
    cilaku = row_of(board, "Kecamatan Cilaku")
    assert (cilaku["waiting"], cilaku["issued"], cilaku["served"]) == (2, 3, 1)
    never = row_of(board, "Kecamatan Karangtengah")
    assert (never["freshness"], never["waiting"], never["issued"]) == ("never", None, 0)


def check_reports(
    hub: HubProcess, admin: requests.Session, today: str, a: Branch, b: Branch
) -> dict[str, int]:
    # Reports: the hub's figures for a branch are the branch's own report, figure for figure.
    report = get(admin, hub, f"/reports?from={today}&to={today}")
    by_name = {r["name"]: r for r in report["branches"]}
    assert comparable(by_name["Kecamatan Cibeber"]["report"]) == comparable(branch_report(a, today))
    assert comparable(by_name["Kecamatan Cilaku"]["report"]) == comparable(branch_report(b, today))
    assert by_name["Kecamatan Karangtengah"]["report"] is None
    combined = report["combined"]
    assert (combined["branches"], combined["total"]["issued"], combined["total"]["served"]) == (
        2,
        9,
        3,
    )
    assert sum(combined["arrivals_by_hour"]) == 9
    one = get(
        admin,
        hub,
        f"/reports?from={today}&to={today}&branch_id={by_name['Kecamatan Cilaku']['branch_id']}",
    )
    assert [r["name"] for r in one["branches"]] == ["Kecamatan Cilaku"]
    r = admin.get(f"{hub.url}{HUB_API}/reports.csv?from={today}&to={today}", timeout=60)
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Kantor", "Kelompok"]
    assert rows[1][4:6] == ["9", "0"]  # all branches: issued 9, transferred in 0
    assert rows[2][:4] == ["Kecamatan Cibeber", "Total", "", "Kecamatan Cibeber"]
    bad = admin.get(f"{hub.url}{HUB_API}/reports?from={today}&to=2020-01-01", timeout=60)
    assert (bad.status_code, bad.json()["error"]) == (422, "bad_range")
    return {name: int(row["branch_id"]) for name, row in by_name.items()}


def check_regional(hub: HubProcess, today: str, ids: dict[str, int]) -> None:
    # A regional supervisor: their region only, everywhere; other branches are unknown.
    regional = regional_user(hub, "pengawas", "Cianjur")
    names = [r["name"] for r in get(regional, hub, "/dashboard")["branches"]]
    assert names == ["Kecamatan Cibeber", "Kecamatan Karangtengah"]
    assert [r["name"] for r in hub.status(regional)] == names
    mine = get(regional, hub, f"/reports?from={today}&to={today}")
    assert [r["name"] for r in mine["branches"]] == names
    assert mine["combined"]["total"]["issued"] == 6
    cilaku_id = ids["Kecamatan Cilaku"]
    refused = get(regional, hub, f"/reports?from={today}&to={today}&branch_id={cilaku_id}", 404)
    assert refused["error"] == "branch_not_found"
    refused = regional.get(
        f"{hub.url}{HUB_API}/reports.csv?from={today}&to={today}&branch_id={cilaku_id}", timeout=60
    )
    assert refused.status_code == 404


def check_link_key(hub: HubProcess, key_a: str, today: str) -> None:
    # A branch's link key is no hub account: it reads nothing, not even its own figures.
    branch_key = requests.Session()
    branch_key.headers["Authorization"] = f"Bearer {key_a}"
    for path in ("/dashboard", f"/reports?from={today}&to={today}", "/branches"):
        assert get(branch_key, hub, path, 401)["error"] == "bad_token"
    assert branch_key.get(f"{hub.url}/pusat", timeout=30, allow_redirects=False).status_code == 303


def check_web(hub: HubProcess, today: str, ids: dict[str, int]) -> None:
    cilaku_id = ids["Kecamatan Cilaku"]
    # The web pages: login with the form's CSRF token, then the dashboard as HTML.
    browser = Browser(hub)
    assert browser.get("/pusat").headers["location"] == "/pusat/masuk"
    assert browser.login("pengawas", "wrong").status_code == 401
    forged = browser.session.post(
        f"{hub.url}/pusat/masuk",
        data={"username": "pengawas", "password": PASSWORD, "csrf_token": "0" * 64},
        timeout=60,
        allow_redirects=False,
    )
    assert forged.status_code == 403 and "hub_session" not in forged.cookies
    done = browser.login("pengawas")
    assert (done.status_code, done.headers["location"]) == (303, "/pusat")
    set_cookie = done.headers["set-cookie"].lower()
    assert "hub_session=" in set_cookie and "httponly" in set_cookie
    assert "samesite=strict" in set_cookie
    page = browser.get("/pusat")
    assert page.status_code == 200
    assert "Kecamatan Cibeber" in page.text and "Kecamatan Cilaku" not in page.text
    row = re.search(r'<tr class="fresh" data-branch="\d+">(.*?)</tr>', page.text, re.S)
    assert row, page.text
    cells = dict(re.findall(r'class="([a-z-]+)">([^<]*)<', row.group(1)))
    assert (cells["waiting"], cells["open"], cells["issued"], cells["served"]) == (
        "4",
        "1",
        "6",
        "2",
    )
    assert 'class="never"' in page.text  # Karangtengah never connected: highlighted
    assert browser.get("/pusat/tabel").status_code == 200
    report_page = browser.get(f"/pusat/laporan?dari={today}&sampai={today}")
    assert (
        report_page.status_code == 200
        and "Kecamatan Cilaku" not in report_page.text.split("</select>")[1]
    )
    assert (
        browser.get(f"/pusat/laporan?dari={today}&sampai={today}&kantor={cilaku_id}").status_code
        == 404
    )
    csv_page = browser.get(f"/pusat/laporan.csv?dari={today}&sampai={today}")
    assert csv_page.status_code == 200 and b"Kecamatan Cibeber" in csv_page.content
    logout_token = browser.token("/pusat")
    out = browser.session.post(
        f"{hub.url}/pusat/keluar",
        data={"csrf_token": logout_token},
        timeout=60,
        allow_redirects=False,
    )
    assert out.status_code == 303
    assert browser.get("/pusat").status_code == 303  # the session ended


def check_offline(hub: HubProcess, admin: requests.Session, a: Branch, b: Branch) -> None:
    # A branch that stops is highlighted: stale, then offline; the live one stays fresh.
    b.server.stop()
    a.issue(1)

    def states() -> tuple[str, str]:
        board = get(admin, hub, "/dashboard")
        return row_of(board, "Kecamatan Cibeber")["freshness"], row_of(board, "Kecamatan Cilaku")[
            "freshness"
        ]

    wait_for("Cilaku offline", lambda: states()[1] == "offline", timeout=OFFLINE + 20)
    a.issue(1)
    wait_for("Cibeber synced", lambda: synced(hub, admin, "Kecamatan Cibeber", a), timeout=20)
    assert states() == ("fresh", "offline")
    assert row_of(get(admin, hub, "/dashboard"), "Kecamatan Cibeber")["issued"] == 8


def test_a_quiet_branch_keeps_sending_signs_of_life(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    """Nothing happens at the branch, yet its last push stays recent (a push without events
    at least every 15 s), so a quiet branch is not taken for an offline one."""
    a = Branch(servers, tmp_path, "cibeber", hub, add_branch(hub.db_url, "Cibeber")).start()
    admin = hub.login()
    wait_for("first sync", lambda: hub.status(admin)[0]["last_sync_at"] is not None, 20)
    first = datetime.fromisoformat(hub.status(admin)[0]["last_sync_at"])
    wait_for(
        "a push without events",
        lambda: datetime.fromisoformat(hub.status(admin)[0]["last_sync_at"]) > first,
        timeout=25,
    )
    assert hub.status(admin)[0]["hub_seq"] == a.seq()  # nothing new was pushed meanwhile
    board = get(admin, hub, "/dashboard")
    assert board["branches"][0]["sync_age_seconds"] < 20
