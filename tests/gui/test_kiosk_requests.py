"""The kiosk's ticket requests go through the shared ``OneRequest``; a failure reaches the
citizen as a notice in their language, whether the server refused or could not be reached."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from counter_app.views.kiosk.controller import RETRIES, KioskSetup
from counter_app.views.kiosk.pages import FAULT_STYLE
from counter_app.views.kiosk.window import KioskWindow
from counter_app.views.one_request import OneRequest
from tests.conftest import Running
from tests.gui.conftest import UseLanguage
from tests.gui.kiosk_helpers import WAIT_MS, kiosk_settings, kiosk_window
from tests.support.live_server import free_port
from tests.support.queue_ops import issue, ok

QUOTA_FULL_ID = "Kuota hari ini untuk layanan ini sudah habis."
UNREACHABLE_ID = "Server tidak dapat dihubungi. Periksa jaringan; aplikasi terus mencoba."


def fault_shown(window: KioskWindow, text: str) -> bool:
    notice = window.notice
    return notice.isVisible() and notice.text() == text and notice.styleSheet() == FAULT_STYLE


def test_a_refusal_reaches_the_kiosks_notice(
    qtbot: QtBot, running_sqlite: Running, tmp_path: Path, use_language: UseLanguage
) -> None:
    use_language("id")
    admin = running_sqlite.login("admin")
    body = {"branch_id": running_sqlite.office.branch_id, "prefix": "E", "name": "Legalisir"}
    quota = ok(admin.post("/api/v1/services", {**body, "daily_quota": 1}), 201)
    issue(running_sqlite.kiosk, quota["id"])  # the day's one ticket is gone
    settings = kiosk_settings(tmp_path)
    window = kiosk_window(
        qtbot, running_sqlite.server.url, running_sqlite.office.kiosk_token, settings
    )
    assert isinstance(window.controller.requests, OneRequest)  # the one shared helper
    # The button is disabled; a request sent anyway (a stale board) is refused by the server.
    window.controller.issue(quota["id"], None)
    assert window.controller.busy
    window.controller.issue(quota["id"], None)  # a second tap while the first is out: ignored
    qtbot.waitUntil(lambda: fault_shown(window, QUOTA_FULL_ID), timeout=WAIT_MS)
    assert not window.controller.busy
    assert window.pages.currentWidget() is window.start_page


def test_a_lost_network_is_retried_then_told(
    qtbot: QtBot, tmp_path: Path, use_language: UseLanguage
) -> None:
    use_language("id")
    nobody_listens = f"http://127.0.0.1:{free_port()}"
    setup = KioskSetup(branch_id=1, device_id=1, priority_classes=[])
    window = kiosk_window(
        qtbot, nobody_listens, "token", kiosk_settings(tmp_path), setup, start=False
    )
    requests = window.controller.requests
    requests.retry_ms = 20  # the real pause is seconds; the count of attempts is the point
    reached: list[bool] = []
    requests.reached.connect(reached.append)
    window.controller.issue(1, None)
    qtbot.waitUntil(lambda: fault_shown(window, UNREACHABLE_ID), timeout=WAIT_MS)
    assert reached == [False] * (1 + RETRIES)  # the first attempt and every retry, no more
    assert not window.controller.busy
