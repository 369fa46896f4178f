"""The typed client's report calls against a live server, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from counter_app.client.api import ApiClient
from counter_app.client.errors import ApiError
from tests.conftest import Running
from tests.support.office import PASSWORD
from tests.support.queue_ops import issue, ok


def test_report_summary_and_export_through_the_client(running: Running) -> None:
    ticket = issue(running.kiosk, running.office.services["A"])
    issue(running.kiosk, running.office.services["B"])
    branch = running.office.branch_id
    client = ApiClient(running.server.url)
    client.login("supervisor", PASSWORD)
    sup = running.login("supervisor")
    first = date.fromisoformat(ticket["service_day"])  # the branch's today
    report = client.report_summary(branch, first, first)
    body = ok(sup.get(f"/api/v1/branches/{branch}/reports/summary?from={first}&to={first}"))
    assert report.total.issued == body["total"]["issued"] == 2
    assert [s.prefix for s in report.services] == [s["prefix"] for s in body["services"]]

    workbook = client.report_export(branch, first, first)
    assert workbook.filename == f"laporan-{branch}-{first}_{first}.xlsx"
    assert workbook.media_type.startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[0] == "Ringkasan"
    hours = client.report_export(branch, first, first, "csv", "hours", "en")
    assert hours.filename.endswith("-hours.csv")
    assert hours.content.decode("utf-8-sig").splitlines()[0].startswith("Hour,A,B")

    officer = ApiClient(running.server.url)
    officer.login("petugas1", PASSWORD)
    with pytest.raises(ApiError) as refused:
        officer.report_summary(branch, first, first)
    assert (refused.value.status, refused.value.code) == (403, "forbidden")
    client.close()
    officer.close()
