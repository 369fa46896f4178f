"""The reports window against a real server, after the scripted Monday of the report tests.

The day is played by ``tests/integration/test_reports.py``'s own script (its docstring has
the timeline). The figures expected here are worked out by hand from that timeline and
written as the window shows them (Indonesian: minutes:seconds, decimal comma), never
computed with the code under test:

waits (min)   A-001 20, A-002 25, B-001 30, B-001 in A 25, A-003 52, B-002 5
service (min) A-001 8, B-001 in A 20, A-003 9, B-002 10

* all services: 7 issued, 4 served, 1 no-show, 1 cancelled, 1 transferred, 1 expired; mean
  wait 157/6 min = 26:10, p90 = the 6th of 6 = 52:00, mean service 47/4 min = 11:45, 5 of 6
  called within target = 83,3 %.
* A: 3 issued (and B-001 transferred in), 3 served, 1 no-show; waits 20 25 25 52 → mean
  30:30, p90 52:00; service 8 20 9 → 37/3 min = 12:20; 3 of 4 within 45 min = 75,0 %.
* B: 2 issued, 1 served, 1 transferred; waits 30, 5 → 17:30, p90 30:00; service 10:00; both
  within 30 min. C: 1 issued, cancelled, never called. D: 1 issued, expired.
* Loket 1 (petugas1, Budi Santoso) closed A-001, A-002 (the supervisor's skip counts for
  him), B-001 in A and A-003: as A. Loket 2 (Dewi Lestari): B-002, waited 5:00 (its first
  call was at Loket 3), served 10:00. Loket 3 (Agus Wijaya): B-001 transferred, waited 30:00.
* Arrivals (WIB): 08 → 4, 09 → 1, 10 → 2.
* IKM: all 78,47 (B, Baik) from 4 responses; A 87,96 (B) from 3; B 50,00 (D) from 1; U1 mean
  of all (4+3+4+2)/4 = 3,25, of A (4+3+4)/3 = 3,67.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from counter_app.cli import build_parser, cmd_reports
from counter_app.client.api import ApiClient
from counter_app.core.errors import AppError
from counter_app.server.context import Services
from counter_app.server.sweeper import sweep_once
from counter_app.views.reports.chart import bar_values
from counter_app.views.reports.period import QuickPeriod, clamp_period, period_for
from counter_app.views.reports.run import sign_in_for_reports
from counter_app.views.reports.window import ReportsWindow
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.gui.conftest import UseLanguage
from tests.gui.waits import WAIT_MS
from tests.integration.test_reports import (
    script_monday_morning,
    script_rest_of_monday,
    survey,
    wib,
)
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.office import PASSWORD

MONDAY = date(2026, 3, 2)
OFFICE = "Disdukcapil Kota Contoh"


@dataclass
class PlayedDay:
    url: str
    branch_id: int


@pytest.fixture(scope="module")
def played_day(
    sqlite_office_template: OfficeTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlayedDay]:
    office = sqlite_office_template.office
    db_url = sqlite_copy(sqlite_office_template, tmp_path_factory.mktemp("reports_window"))
    clock = FrozenClock(wib(7, 50))
    with run_server(db_url, clock=clock) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        sup = anon.login("supervisor")
        p1, p2, p3 = anon.login("petugas1"), anon.login("petugas2"), anon.login("petugas3")
        t = script_monday_morning(clock, kiosk, sup, p1, p3, office.services, office.counters)
        script_rest_of_monday(clock, kiosk, sup, (p1, p2, p3), office.services, office.counters, t)
        clock.now = wib(11, 0)
        for number, answers in (
            ("A-001", [4] * 9),
            ("B-001", [3] * 9),
            ("A-003", [4, 3, 4, 4, 3, 4, 4, 2, 4]),
            ("B-002", [2] * 9),
        ):
            code = t[number]["code"]
            response = anon.post(f"/api/v1/public/tickets/{code}/survey", survey(answers))
            assert response.status_code == 201, response.text
        clock.now = wib(0, 0, day=3) + timedelta(seconds=1)  # Tuesday: D-001 expires
        services: Services = server.app.state.services
        assert sweep_once(services) == 1
        yield PlayedDay(server.url, office.branch_id)


def signed_in(url: str, username: str) -> ApiClient:
    client = ApiClient(url)
    client.login(username, PASSWORD)
    return client


def rows(table: QTableWidget) -> dict[str, list[str]]:
    """Each row's cells by its first cell (the name)."""
    found = {}
    for row in range(table.rowCount()):
        cells = [table.item(row, column).text() for column in range(table.columnCount())]
        found[cells[0]] = cells[1:]
    return found


def headers(table: QTableWidget) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


@pytest.fixture
def monday_window(
    qtbot: QtBot, played_day: PlayedDay, use_language: UseLanguage
) -> Iterator[ReportsWindow]:
    use_language("id")
    client = signed_in(played_day.url, "supervisor")
    window = ReportsWindow(client, played_day.branch_id)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.report_shown, timeout=WAIT_MS):
        window.set_period(MONDAY, MONDAY)
    yield window
    assert window.runner.wait(WAIT_MS)
    client.close()


def test_the_tables_show_the_hand_counted_day(monday_window: ReportsWindow) -> None:
    window = monday_window
    assert window.heading.text() == f"{OFFICE} · Senin, 2 Maret 2026"
    assert headers(window.services) == [
        "Nama",
        "Diambil",
        "Dilayani",
        "Tidak hadir",
        "Dibatalkan",
        "Dialihkan",
        "Kedaluwarsa",
        "Rata-rata tunggu",
        "Tunggu persentil 90",
        "Rata-rata layanan",
        "Sesuai target",
    ]
    services = rows(window.services)
    # issued, served, no-show, cancelled, transferred, expired, waits, service, within target
    assert services["A · Perekaman KTP-el"] == [
        *("3", "3", "1", "0", "0", "0"),
        *("30:30", "52:00", "12:20", "75,0 %"),
    ]
    assert services["B · Kartu Keluarga"] == [
        *("2", "1", "0", "0", "1", "0"),
        *("17:30", "30:00", "10:00", "100,0 %"),
    ]
    assert services["C · Akta Kelahiran"] == ["1", "0", "0", "1", "0", "0", "—", "—", "—", "—"]
    assert services["D · Pindah Datang"] == ["1", "0", "0", "0", "0", "1", "—", "—", "—", "—"]
    assert services["Semua layanan"] == [
        *("7", "4", "1", "1", "1", "1"),
        *("26:10", "52:00", "11:45", "83,3 %"),
    ]
    assert window.services.item(window.services.rowCount() - 1, 0).font().bold()

    counters = rows(window.counters)
    # issued does not apply to a counter; served, no-show, cancelled, transferred, expired
    assert counters["Loket 1"] == [
        *("—", "3", "1", "0", "0", "0"),
        *("30:30", "52:00", "12:20", "75,0 %"),
    ]
    assert counters["Loket 2"] == [
        *("—", "1", "0", "0", "0", "0"),
        *("5:00", "5:00", "10:00", "100,0 %"),
    ]
    assert counters["Loket 3"] == [
        *("—", "0", "0", "0", "1", "0"),
        *("30:00", "30:00", "—", "100,0 %"),
    ]

    officers = rows(window.officers)
    assert list(officers) == ["Agus Wijaya", "Budi Santoso", "Dewi Lestari"]
    assert officers["Budi Santoso"][1:3] == ["3", "1"]  # served, no-show (the skip is his)
    assert officers["Agus Wijaya"][4] == "1"  # transferred
    assert officers["Dewi Lestari"][1] == "1"


def test_the_chart_has_a_bar_for_every_hour(monday_window: ReportsWindow) -> None:
    values = bar_values(monday_window.chart_view.chart())
    expected = [0.0] * 24
    expected[8], expected[9], expected[10] = 4.0, 1.0, 2.0
    assert values == expected


def test_the_satisfaction_index_per_service_and_overall(monday_window: ReportsWindow) -> None:
    window = monday_window
    assert window.ikm_label.text() == "IKM 78,47 · mutu B (Baik) · 4 responden"
    assert headers(window.ikm)[:3] == ["Unsur", "Semua layanan", "A · Perekaman KTP-el"]
    ikm = rows(window.ikm)
    assert ikm["IKM"] == ["78,47", "87,96", "50,00", "—", "—"]
    assert ikm["Mutu"] == ["B (Baik)", "B (Baik)", "D (Tidak Baik)", "—", "—"]
    assert ikm["Responden"] == ["4", "3", "1", "0", "0"]
    assert ikm["U1 Persyaratan"][:3] == ["3,25", "3,67", "2,00"]
    assert len([name for name in ikm if name.startswith("U")]) == 9


def test_csv_and_xlsx_are_the_servers_files(
    qtbot: QtBot, monday_window: ReportsWindow, tmp_path: Path
) -> None:
    window = monday_window
    target = tmp_path / "laporan.csv"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS) as saved:
        window.save_export("csv", target)
    assert saved.args == [str(target)]
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    by_group = {(r[0], r[1]): dict(zip(table[0], r, strict=True)) for r in table[1:]}
    a = by_group[("Layanan", "A")]
    assert (a["Dilayani"], a["Tidak hadir"], a["Rata-rata tunggu (menit)"]) == ("3", "1", "30.5")
    assert by_group[("Total", "")]["Diambil"] == "7"

    hours = tmp_path / "jam.csv"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
        window.save_export("csv", hours, table="hours")
    hour_rows = list(csv.reader(io.StringIO(hours.read_bytes().decode("utf-8-sig"))))
    assert hour_rows[9] == ["08:00", "3", "1", "0", "0", "4"]

    book_path = tmp_path / "laporan.xlsx"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
        window.save_export("xlsx", book_path)
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["Ringkasan", "Kedatangan per jam", "Survei Kepuasan Masyarakat"]
    values = [[cell.value for cell in row] for row in book["Ringkasan"].iter_rows()]
    columns = values[3]
    loket1 = next(r for r in values if r[0] == "Loket" and r[1] == 1)
    assert loket1[columns.index("Dilayani")] == 3
    assert loket1[columns.index("Tidak hadir")] == 1
    assert window.status.text() == f"Tersimpan: {book_path}"


def test_the_pdf_is_a4_with_the_office_period_and_ikm(
    qtbot: QtBot, monday_window: ReportsWindow, tmp_path: Path
) -> None:
    target = tmp_path / "laporan.pdf"
    with qtbot.waitSignal(monday_window.export_finished, timeout=WAIT_MS):
        monday_window.save_pdf(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000  # the chart is an image in it
    document = QPdfDocument()
    assert document.load(str(target)) == QPdfDocument.Error.None_
    size = document.pagePointSize(0)
    assert abs(size.width() - 841.9) < 2 and abs(size.height() - 595.3) < 2  # A4 landscape
    text = " ".join(document.getAllText(page).text() for page in range(document.pageCount()))
    assert OFFICE in text
    assert "Senin, 2 Maret 2026" in text
    assert "78,47" in text and "26:10" in text and "Budi Santoso" in text
    assert isinstance(size, QSizeF)
    document.close()


def test_an_officer_is_refused_in_indonesian(
    qtbot: QtBot, played_day: PlayedDay, use_language: UseLanguage
) -> None:
    use_language("id")
    client = signed_in(played_day.url, "petugas1")
    window = ReportsWindow(client, played_day.branch_id)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.report_failed, timeout=WAIT_MS) as refused:
        window.set_period(MONDAY, MONDAY)
    message = "Hanya supervisor atau admin yang dapat melihat laporan."
    assert refused.args == [message]
    assert window.status.text() == message
    assert window.services.rowCount() == 0
    assert not window.xlsx_button.isEnabled() and window.show_button.isEnabled()
    assert window.isVisible()
    assert window.runner.wait(WAIT_MS)
    client.close()
    # The sign-in of ``counter-app reports`` turns an officer away before any window.
    with pytest.raises(AppError) as refused_sign_in:
        sign_in_for_reports(played_day.url, "petugas1", PASSWORD)
    assert refused_sign_in.value.code == "reports_forbidden"
    session = sign_in_for_reports(played_day.url, "supervisor", PASSWORD)
    assert session.branch_id == played_day.branch_id
    session.client.close()


def test_quick_periods() -> None:
    wednesday = date(2026, 3, 4)
    assert period_for(QuickPeriod.TODAY, wednesday) == (wednesday, wednesday)
    assert period_for(QuickPeriod.THIS_WEEK, wednesday) == (date(2026, 3, 2), wednesday)
    assert period_for(QuickPeriod.THIS_MONTH, wednesday) == (date(2026, 3, 1), wednesday)
    assert period_for(QuickPeriod.LAST_30_DAYS, wednesday) == (date(2026, 2, 3), wednesday)
    monday = date(2026, 3, 2)
    assert period_for(QuickPeriod.THIS_WEEK, monday) == (monday, monday)
    assert clamp_period(date(2026, 3, 4), monday) == (monday, date(2026, 3, 4))
    assert clamp_period(date(2025, 1, 1), date(2026, 3, 2)) == (date(2025, 3, 2), monday)


def test_a_quick_choice_fills_the_dates_and_fetches(
    qtbot: QtBot, played_day: PlayedDay, use_language: UseLanguage
) -> None:
    use_language("id")
    client = signed_in(played_day.url, "supervisor")
    window = ReportsWindow(client, played_day.branch_id)
    qtbot.addWidget(window)
    assert window.quick.currentText() == "Hari ini"
    with qtbot.waitSignal(window.report_shown, timeout=WAIT_MS):
        window.choose_quick(QuickPeriod.LAST_30_DAYS)
    first, last = window.period()
    # The branch's today (Jakarta), whatever the zone of the machine running the test.
    assert (last - first).days == 29 and last == datetime.now(ZoneInfo("Asia/Jakarta")).date()
    assert window.zone == "Asia/Jakarta"
    assert window.report is not None and window.report.first_day == first
    assert window.runner.wait(WAIT_MS)
    client.close()


def test_the_reports_subcommand() -> None:
    args = build_parser().parse_args(["reports", "--server", "http://192.168.1.10:8750"])
    assert (args.func, args.server, args.branch) == (cmd_reports, "http://192.168.1.10:8750", None)


def test_the_staffing_tab_advises_from_mondays_arrivals(
    qtbot: QtBot, monday_window: ReportsWindow
) -> None:
    """Mondays over one week back: the played Monday's 7 tickets issued and B-001's transfer
    into A (8 queue arrivals) spread over the rows of their services' hours; each row a whole
    number of counters advised, and the wait it gives within the service's target."""
    panel = monday_window.staffing
    monday_window.tabs.setCurrentWidget(panel)
    panel.weekday.setCurrentIndex(0)
    panel.weeks.setValue(1)
    with qtbot.waitSignal(panel.advice_shown, timeout=WAIT_MS):
        panel.show_button.click()
    table = panel.table
    assert headers(table)[:3] == ["Layanan", "Jam", "Kedatangan per jam"]
    arrivals = [float(table.item(r, 2).text()) for r in range(table.rowCount())]
    assert sum(arrivals) == 8.0
    assert panel.advice is not None
    for service in panel.advice.services:
        for hour in service.hours:
            if hour.arrivals_per_hour:
                wait = hour.expected_wait_recommended_seconds
                assert wait is not None and wait <= service.target_wait_minutes * 60
