"""A scripted office day with a frozen clock, and its report checked against numbers worked
out by hand (never by the code under test), on SQLite and PostgreSQL.

Demo office (WIB): A Perekaman KTP-el (target 45 min), B Kartu Keluarga (30), C Akta
Kelahiran (30), D Pindah Datang (40). Loket 1 serves A, Loket 2 A+B, Loket 3 B+C.

Monday 2026-03-02, times WIB:

=====  ========================================================================
08:00  A-001 issued;   08:20 called at Loket 1 (petugas1), 08:22 started, 08:30 finished
08:05  A-002 issued;   08:30 called at Loket 1, 08:35 skipped *by the supervisor*
08:10  B-001 issued;   08:40 called at Loket 3 (petugas3), 08:41 started, 08:45 transferred
       to A; the continuation waits from 08:45, called 09:10 at Loket 1, started 09:10,
       finished 09:30
08:38  A-003 issued;   09:30 called at Loket 1, 09:31 started, 09:40 finished
09:00  C-001 issued;   09:05 cancelled by the supervisor
10:00  D-001 issued;   never called: expired by housekeeping on Tuesday 00:00:01
10:05  B-002 issued;   10:10 called at Loket 3, 10:11 returned to the queue; 10:15 called at
       Loket 2 (petugas2), 10:16 started, 10:26 finished
=====  ========================================================================

Waits (first call − arrival, minutes): A-001 20, A-002 25, B-001 30, B-001 in A 25,
A-003 52, B-002 5.  Service times (minutes): A-001 8, B-001 in A 20, A-003 9, B-002 10.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl

from counter_app.server.context import Services
from counter_app.server.sweeper import sweep_once
from tests.conftest import OfficeTemplate
from tests.support.http import Api
from tests.support.live_server import FrozenClock, run_server
from tests.support.queue_ops import act, call_next, expect_error, issue, ok, set_state

MONDAY = "2026-03-02"
MIN = 60.0


def wib(hour: int, minute: int, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def figures(row: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("issued", "transferred_in", "served", "no_show", "cancelled", "transferred")
    return tuple(row[k] for k in (*keys, "expired", "called"))


def times(row: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("mean_wait_seconds", "p90_wait_seconds", "within_target", "within_target_share")
    return tuple(row[k] for k in (*keys, "mean_service_seconds"))


def survey(answers: list[int]) -> dict[str, int]:
    return {f"u{i}": value for i, value in enumerate(answers, start=1)}


def script_monday_morning(
    clock: FrozenClock,
    kiosk: Api,
    sup: Api,
    p1: Api,
    p3: Api,
    services: dict[str, int],
    counters: dict[int, int],
) -> dict[str, dict[str, Any]]:
    t: dict[str, dict[str, Any]] = {}

    def at(hour: int, minute: int) -> None:
        clock.now = wib(hour, minute)

    at(7, 55)
    set_state(p1, counters[1], "open")
    set_state(p3, counters[3], "open")
    at(8, 0)
    t["A-001"] = issue(kiosk, services["A"])
    at(8, 5)
    t["A-002"] = issue(kiosk, services["A"])
    at(8, 10)
    t["B-001"] = issue(kiosk, services["B"])
    at(8, 20)
    assert call_next(p1, counters[1])["id"] == t["A-001"]["id"]  # type: ignore[index]
    at(8, 22)
    act(p1, t["A-001"]["id"], "start")
    at(8, 30)
    act(p1, t["A-001"]["id"], "finish")
    assert call_next(p1, counters[1])["id"] == t["A-002"]["id"]  # type: ignore[index]
    at(8, 35)
    act(sup, t["A-002"]["id"], "skip")
    at(8, 38)
    t["A-003"] = issue(kiosk, services["A"])
    at(8, 40)
    assert call_next(p3, counters[3])["id"] == t["B-001"]["id"]  # type: ignore[index]
    at(8, 41)
    act(p3, t["B-001"]["id"], "start")
    at(8, 45)
    t["B-001 in A"] = act(p3, t["B-001"]["id"], "transfer", {"service_id": services["A"]})
    return t


def script_rest_of_monday(
    clock: FrozenClock,
    kiosk: Api,
    sup: Api,
    people: tuple[Api, Api, Api],
    services: dict[str, int],
    counters: dict[int, int],
    t: dict[str, dict[str, Any]],
) -> None:
    p1, p2, p3 = people

    def at(hour: int, minute: int) -> None:
        clock.now = wib(hour, minute)

    at(9, 0)
    t["C-001"] = issue(kiosk, services["C"])
    at(9, 5)
    act(sup, t["C-001"]["id"], "cancel")
    at(9, 10)
    assert call_next(p1, counters[1])["id"] == t["B-001 in A"]["id"]  # type: ignore[index]
    act(p1, t["B-001 in A"]["id"], "start")
    at(9, 30)
    act(p1, t["B-001 in A"]["id"], "finish")
    assert call_next(p1, counters[1])["id"] == t["A-003"]["id"]  # type: ignore[index]
    at(9, 31)
    act(p1, t["A-003"]["id"], "start")
    at(9, 40)
    act(p1, t["A-003"]["id"], "finish")
    at(10, 0)
    t["D-001"] = issue(kiosk, services["D"])
    at(10, 5)
    t["B-002"] = issue(kiosk, services["B"])
    at(10, 10)
    assert call_next(p3, counters[3])["id"] == t["B-002"]["id"]  # type: ignore[index]
    at(10, 11)
    act(p3, t["B-002"]["id"], "return")
    at(10, 15)
    set_state(p2, counters[2], "open")
    assert call_next(p2, counters[2])["id"] == t["B-002"]["id"]  # type: ignore[index]
    at(10, 16)
    act(p2, t["B-002"]["id"], "start")
    at(10, 26)
    act(p2, t["B-002"]["id"], "finish")


def check_survey(report: dict[str, Any]) -> None:
    by_prefix = {s["prefix"]: s for s in report["services"]}
    a, b, c = by_prefix["A"], by_prefix["B"], by_prefix["C"]
    # IKM. A: 3 responses (A-001, B-001's chain, A-003); element sums 11 10 11 11 10 11 11 9
    # 11 = 95; IKM = 25 × 95 / 27 = 87.962… → 87.96, B. B: one response of all 2s → 50.00, D.
    # All: sums 113 over 4 responses: 25 × 113 / 36 = 78.472… → 78.47, B.
    assert (a["survey"]["responses"], a["survey"]["index"], a["survey"]["grade"]) == (3, 87.96, "B")
    assert a["survey"]["grade_label"] == "Baik"
    assert [e["mean"] for e in a["survey"]["elements"]][:2] == [3.6667, 3.3333]
    assert (b["survey"]["responses"], b["survey"]["index"], b["survey"]["grade"]) == (1, 50.0, "D")
    assert (c["survey"]["responses"], c["survey"]["index"], c["survey"]["grade"]) == (0, None, None)
    whole = report["survey"]
    assert (whole["responses"], whole["index"], whole["grade"]) == (4, 78.47, "B")
    assert [e["mean"] for e in whole["elements"]] == [
        3.25,
        3.0,
        3.25,
        3.25,
        3.0,
        3.25,
        3.25,
        2.75,
        3.25,
    ]


def test_report_of_a_scripted_day_matches_the_hand_count(office_db: OfficeTemplate) -> None:
    db_url, office = office_db.url, office_db.office
    clock = FrozenClock(wib(7, 50))
    services, counters, branch = office.services, office.counters, office.branch_id
    with run_server(db_url, clock=clock) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        sup = anon.login("supervisor")
        p1, p2, p3 = anon.login("petugas1"), anon.login("petugas2"), anon.login("petugas3")
        t = script_monday_morning(clock, kiosk, sup, p1, p3, services, counters)
        script_rest_of_monday(clock, kiosk, sup, (p1, p2, p3), services, counters, t)

        # Survey answers (worked below): A-001, the B-001 chain (finished in A), A-003, B-002.
        clock.now = wib(11, 0)
        for number, answers in (
            ("A-001", [4, 4, 4, 4, 4, 4, 4, 4, 4]),
            ("B-001", [3, 3, 3, 3, 3, 3, 3, 3, 3]),
            ("A-003", [4, 3, 4, 4, 3, 4, 4, 2, 4]),
            ("B-002", [2, 2, 2, 2, 2, 2, 2, 2, 2]),
        ):
            code = t[number]["code"]
            ok(anon.post(f"/api/v1/public/tickets/{code}/survey", survey(answers)), 201)

        # Tuesday, just after midnight: housekeeping expires D-001 (a Monday ticket).
        clock.now = wib(0, 0, day=3) + timedelta(seconds=1)
        svc: Services = server.app.state.services
        assert sweep_once(svc) == 1

        sup = anon.login("supervisor")  # the morning's session has ended (12 hours)
        report = ok(sup.get(f"/api/v1/branches/{branch}/reports/summary?from={MONDAY}&to={MONDAY}"))

    assert (report["first_day"], report["last_day"], report["timezone"]) == (
        MONDAY,
        MONDAY,
        "Asia/Jakarta",
    )
    # issued, transferred in, served, no-show, cancelled, transferred, expired, called
    assert figures(report["total"]) == (7, 1, 4, 1, 1, 1, 1, 6)
    # Waits 20 25 30 25 52 5: mean 157/6 min = 1570 s; p90 = 6th of 6 = 52 min; within
    # target: all but A-003 (52 > 45; B-001's 30 = its target counts) = 5 of 6.
    # Service 8 20 9 10: mean 47/4 min = 705 s.
    assert times(report["total"]) == (1570.0, 3120.0, 5, 0.8333, 705.0)

    by_prefix = {s["prefix"]: s for s in report["services"]}
    a, b, c, d = (by_prefix[p] for p in "ABCD")
    assert figures(a) == (3, 1, 3, 1, 0, 0, 0, 4)
    # A waits 20 25 25 52: mean 30.5 min; p90 = 4th of 4 = 52; within 3 of 4; service
    # 8 20 9: mean 37/3 min = 740 s.
    assert times(a) == (1830.0, 3120.0, 3, 0.75, 740.0)
    assert figures(b) == (2, 0, 1, 0, 0, 1, 0, 2)
    assert times(b) == (1050.0, 1800.0, 2, 1.0, 600.0)  # waits 30, 5; service 10 min
    assert figures(c) == (1, 0, 0, 0, 1, 0, 0, 0)
    assert times(c) == (None, None, 0, None, None)
    assert figures(d) == (1, 0, 0, 0, 0, 0, 1, 0)
    assert a["target_wait_minutes"] == 45

    # Counters: where each visit closed. issued/transferred_in do not apply to counters.
    by_number = {c["number"]: c for c in report["counters"]}
    assert figures(by_number[1]) == (None, None, 3, 1, 0, 0, 0, 4)
    assert times(by_number[1]) == (1830.0, 3120.0, 3, 0.75, 740.0)
    assert figures(by_number[2]) == (None, None, 1, 0, 0, 0, 0, 1)
    assert times(by_number[2]) == (300.0, 300.0, 1, 1.0, 600.0)  # B-002: first call at L3
    assert figures(by_number[3]) == (None, None, 0, 0, 0, 1, 0, 1)
    assert times(by_number[3]) == (1800.0, 1800.0, 1, 1.0, None)
    assert figures(by_number[4]) == (None, None, 0, 0, 0, 0, 0, 0)

    # Officers: the supervisor's skip at Loket 1 counts for petugas1, who held it.
    officers = [
        (o["name"], o["served"], o["no_show"], o["transferred"]) for o in report["officers"]
    ]
    assert officers == [
        ("Agus Wijaya", 0, 0, 1),
        ("Budi Santoso", 3, 1, 0),
        ("Dewi Lestari", 1, 0, 0),
    ]

    # Arrivals by WIB hour: 08 →, B-001, A-003; 09 → C-001; 10 → D-001, B-002.
    hours = report["arrivals_by_hour"]
    assert (hours[8], hours[9], hours[10], sum(hours)) == (4, 1, 2, 7)
    assert (a["arrivals_by_hour"][8], b["arrivals_by_hour"][8], b["arrivals_by_hour"][10]) == (
        3,
        1,
        1,
    )

    check_survey(report)


@contextmanager
def one_ticket_each_day(office_db: OfficeTemplate) -> Iterator[tuple[Api, Api, str, Api]]:
    """Monday: A-001 issued 08:00, called 08:12, finished 08:20. Tuesday: B-001 issued.
    Yields (anonymous, supervisor, the reports path, kiosk), the clock on Tuesday."""
    db_url, office = office_db.url, office_db.office
    clock = FrozenClock(wib(7, 50))
    services, counters, branch = office.services, office.counters, office.branch_id
    with run_server(db_url, clock=clock) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        p1 = anon.login("petugas1")
        set_state(p1, counters[1], "open")
        clock.now = wib(8, 0)
        first = issue(kiosk, services["A"])
        clock.now = wib(8, 12)
        call_next(p1, counters[1])
        clock.now = wib(8, 20)
        act(p1, first["id"], "finish")
        clock.now = wib(9, 0, day=3)  # Tuesday
        issue(kiosk, services["B"])
        yield anon, anon.login("supervisor"), f"/api/v1/branches/{branch}/reports", kiosk


def test_report_periods_and_who_may_read_them(office_db: OfficeTemplate) -> None:
    with one_ticket_each_day(office_db) as (anon, sup, path, kiosk):
        monday = ok(sup.get(f"{path}/summary?from={MONDAY}&to={MONDAY}"))
        tuesday = ok(sup.get(f"{path}/summary?from=2026-03-03&to=2026-03-03"))
        both = ok(sup.get(f"{path}/summary?from={MONDAY}&to=2026-03-03"))
        assert [r["total"]["issued"] for r in (monday, tuesday, both)] == [1, 1, 2]
        assert (monday["total"]["served"], tuesday["total"]["served"]) == (1, 0)
        assert monday["total"]["mean_wait_seconds"] == 720.0  # 08:00 → 08:12
        assert monday["total"]["mean_service_seconds"] == 480.0  # from the call, not started

        # Who may read: a supervisor or admin of the branch.
        admin, p1 = anon.login("admin"), anon.login("petugas1")
        assert ok(admin.get(f"{path}/summary?from={MONDAY}&to={MONDAY}")) == monday
        query = f"?from={MONDAY}&to={MONDAY}"
        expect_error(p1.get(f"{path}/summary{query}"), 403, "forbidden")
        expect_error(kiosk.get(f"{path}/summary{query}"), 403, "forbidden")
        expect_error(anon.get(f"{path}/summary{query}"), 401, "not_authenticated")
        expect_error(p1.get(f"{path}/export{query}"), 403, "forbidden")
        other = f"/api/v1/branches/999/reports/summary{query}"
        expect_error(sup.get(other), 403, "wrong_branch")
        expect_error(admin.get(other), 404, "branch_not_found")

        # Bad periods.
        expect_error(sup.get(f"{path}/summary?from=2026-03-03&to={MONDAY}"), 422, "bad_range")
        expect_error(
            sup.get(f"{path}/summary?from=2025-01-01&to=2026-03-03"), 422, "range_too_long"
        )
        expect_error(sup.get(f"{path}/summary?from={MONDAY}"), 422, "invalid_input")
        expect_error(sup.get(f"{path}/summary?from=2026-02-30&to={MONDAY}"), 422, "invalid_input")
        expect_error(sup.get(f"{path}/export{query}&format=pdf"), 422, "invalid_input")


def test_report_as_csv(office_db: OfficeTemplate) -> None:
    with one_ticket_each_day(office_db) as (_anon, sup, path, _kiosk):
        # CSV: one table, Indonesian headers by default.
        response = sup.get(f"{path}/export?from={MONDAY}&to=2026-03-03&format=csv")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["content-disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:6] == [
            "Kelompok",
            "Kode/No.",
            "Nama",
            "Diambil",
            "Pindahan masuk",
            "Dilayani",
        ]
        table = {(r[0], r[1]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
        assert table[("Total", "")]["Diambil"] == "2"
        a = table[("Layanan", "A")]
        assert (a["Nama"], a["Diambil"], a["Dilayani"], a["Rata-rata tunggu (menit)"]) == (
            "Perekaman KTP-el",
            "1",
            "1",
            "12",
        )
        assert table[("Loket", "1")]["Diambil"] == ""  # does not apply to counters
        assert table[("Petugas", "")]["Nama"] == "Budi Santoso"
        english = sup.get(f"{path}/export?from={MONDAY}&to={MONDAY}&format=csv&table=hours&lang=en")
        hours = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
        assert hours[0] == ["Hour", "A", "B", "C", "D", "Total"]
        assert hours[9] == ["08:00", "1", "0", "0", "0", "1"]


def test_report_as_xlsx(office_db: OfficeTemplate) -> None:
    with one_ticket_each_day(office_db) as (_anon, sup, path, _kiosk):
        # XLSX: every table on its own sheet, numbers as numbers.
        response = sup.get(f"{path}/export?from={MONDAY}&to={MONDAY}&format=xlsx")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Ringkasan", "Kedatangan per jam", "Survei Kepuasan Masyarakat"]
        sheet = book["Ringkasan"]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        headers = values[3]
        service_a = next(r for r in values if r[0] == "Layanan" and r[1] == "A")
        assert service_a[headers.index("Dilayani")] == 1
        assert service_a[headers.index("Rata-rata tunggu (menit)")] == 12
        assert "2026-03-02" in str(values[1][0])
