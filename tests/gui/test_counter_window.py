"""The counter window against a real server: the officer's day, click by click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.counter_helpers import counter_window, press, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.queue_ops import issue


def server_ticket(running: Running, ticket_id: int) -> dict[str, object]:
    sup = running.login("supervisor")
    body: dict[str, object] = sup.get(f"/api/v1/tickets/{ticket_id}").json()
    return body


def test_f1_calls_the_oldest_ticket_and_the_server_agrees(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    service_a = running_sqlite.office.services["A"]
    first = issue(running_sqlite.kiosk, service_a)
    issue(running_sqlite.kiosk, service_a)
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(
        lambda: window.queue_panel.listed_numbers(service_a) == ["A-001", "A-002"], timeout=WAIT_MS
    )

    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: shown_number(window) == "A-001", timeout=WAIT_MS)
    on_server = server_ticket(running_sqlite, first["id"])
    assert on_server["state"] == "called"
    assert on_server["counter_id"] == running_sqlite.office.counters[1]
    assert window.queue_panel.listed_numbers(service_a) == ["A-002"]


def test_recall_start_finish_and_todays_figures(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    controller = window.controller
    press(qtbot, window, CounterCommand.CALL_NEXT)
    press(qtbot, window, CounterCommand.RECALL)
    qtbot.waitUntil(
        lambda: server_ticket(running_sqlite, ticket["id"])["call_count"] == 2, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: controller.can(CounterCommand.START), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.waitUntil(
        lambda: server_ticket(running_sqlite, ticket["id"])["state"] == "serving", timeout=WAIT_MS
    )
    assert not window.buttons[CounterCommand.START].isEnabled()  # wrong-state actions are disabled
    qtbot.waitUntil(lambda: controller.can(CounterCommand.FINISH), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(
        lambda: server_ticket(running_sqlite, ticket["id"])["state"] == "done", timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: shown_number(window) == "—", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "1" in window.today.text(), timeout=WAIT_MS)
    assert controller.today is not None and controller.today.served == 1


def test_skip_marks_no_show(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.SKIP), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: server_ticket(running_sqlite, ticket["id"])["state"] == "no_show", timeout=WAIT_MS
    )


def test_a_double_click_calls_one_ticket(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    service_a = running_sqlite.office.services["A"]
    tickets = [issue(running_sqlite.kiosk, service_a) for _ in range(3)]
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    button = window.buttons[CounterCommand.CALL_NEXT]
    button.click()
    button.click()  # the second click lands while the first request is in flight
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: shown_number(window) == "A-001", timeout=WAIT_MS)
    qtbot.wait(300)
    states = [server_ticket(running_sqlite, t["id"])["state"] for t in tickets]
    assert states == ["called", "waiting", "waiting"]


def test_transfer_to_another_counter_shows_up_there(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    first = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    second = counter_window(qtbot, running_sqlite.server.url, "petugas3", 3, app_settings)
    qtbot.waitUntil(lambda: first.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    # Two windows: keys go to the active one, so click the buttons here.
    first.buttons[CounterCommand.CALL_NEXT].click()
    qtbot.waitUntil(lambda: first.controller.can(CounterCommand.TRANSFER), timeout=WAIT_MS)

    first.buttons[CounterCommand.TRANSFER].click()
    dialog = first.transfer_dialog
    assert dialog is not None
    dialog.counter_box.setCurrentIndex(
        dialog.counter_box.findData(running_sqlite.office.counters[3])
    )
    dialog.note.setText("Butuh legalisir")
    dialog.accept()

    qtbot.waitUntil(lambda: shown_number(first) == "—", timeout=WAIT_MS)
    # Loket 3 serves B and C only, yet the transfer addressed to it is in its list, first.
    qtbot.waitUntil(
        lambda: [t.number for t in second.controller.waiting()] == ["A-001"], timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: second.queue_panel._transfers[0].isVisibleTo(second), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: second.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    second.buttons[CounterCommand.CALL_NEXT].click()
    qtbot.waitUntil(lambda: shown_number(second) == "A-001", timeout=WAIT_MS)


def test_another_counters_call_removes_the_ticket_from_this_list(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    service_a = running_sqlite.office.services["A"]
    issue(running_sqlite.kiosk, service_a)
    issue(running_sqlite.kiosk, service_a)
    mine = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(
        lambda: mine.queue_panel.listed_numbers(service_a) == ["A-001", "A-002"], timeout=WAIT_MS
    )
    other = running_sqlite.login("petugas2")
    counter2 = running_sqlite.office.counters[2]
    assert other.post(f"/api/v1/counters/{counter2}/state", {"state": "open"}).status_code == 200
    assert other.post(f"/api/v1/counters/{counter2}/call-next").status_code == 200
    qtbot.waitUntil(
        lambda: mine.queue_panel.listed_numbers(service_a) == ["A-002"], timeout=WAIT_MS
    )


def test_closing_the_window_closes_the_counter(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    counter1 = running_sqlite.office.counters[1]
    window.close()
    sup = running_sqlite.login("supervisor")

    def closed_on_server() -> bool:
        counters = sup.get(f"/api/v1/branches/{running_sqlite.office.branch_id}/counters").json()
        return bool(next(c for c in counters if c["id"] == counter1)["state"] == "closed")

    qtbot.waitUntil(closed_on_server, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


def test_the_transfer_list_marks_closed_counters_and_asks_before_sending(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    press(qtbot, window, CounterCommand.CALL_NEXT)
    press(qtbot, window, CounterCommand.TRANSFER)
    dialog = window.transfer_dialog
    assert dialog is not None
    box = dialog.counter_box
    # Only Loket 1 (this one) is open in the demo office: the others are marked.
    assert [box.itemText(i) for i in range(box.count())] == [
        "Loket 2 — closed",
        "Loket 3 — closed",
        "Loket 4 — closed",
    ]
    box.setCurrentIndex(box.findData(running_sqlite.office.counters[4]))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    confirm = dialog.confirm_box
    assert confirm is not None and confirm.isVisible()
    assert "Loket 4 is closed" in confirm.text()
    confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(
        lambda: server_ticket(running_sqlite, ticket["id"])["state"] == "transferred",
        timeout=WAIT_MS,
    )
