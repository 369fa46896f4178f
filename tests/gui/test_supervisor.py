"""The supervisor window against a real server: the live board, each action, the alerts, and
a ticket dragged onto a counter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from counter_app.client.errors import ApiError
from counter_app.views.counter.login import LoginDialog
from counter_app.views.messages import describe
from counter_app.views.settings import AppSettings
from counter_app.views.supervisor.controller import Act
from counter_app.views.supervisor.panels import TICKET_MIME, CounterCard, ticket_mime
from counter_app.views.supervisor.session import sign_in_supervisor
from counter_app.views.supervisor.window import SupervisorWindow
from tests.gui.counter_helpers import counter_window
from tests.gui.supervisor_helpers import (
    Office,
    card_text,
    office,
    queue_row,
    select_ticket,
    supervisor_window,
)
from tests.gui.waits import WAIT_MS
from tests.support.office import PASSWORD
from tests.support.queue_ops import (
    call_next,
    get_ticket,
    issue,
    ok,
    set_state,
    snapshot,
)

__all__ = ["office"]  # the fixture, used by name


def user_id(api: object) -> int:
    return int(ok(api.get("/api/v1/auth/me"))["user"]["id"])  # type: ignore[attr-defined]


def last_event(office: Office) -> dict[str, object]:
    """The journal's latest event, as the stream gives it."""
    from tests.support.sse import EventStream

    sup = office.running.login("supervisor")
    seq = int(snapshot(sup, office.running.office.branch_id)["seq"])
    with EventStream(
        office.running.server.url, office.running.office.branch_id, sup.token, after=seq - 1
    ) as stream:
        (message,) = stream.events(1)
    assert message.data is not None
    return message.data


def drop(card: CounterCard, mime: QMimeData) -> QDropEvent:
    """A drag entering the card, then the drop: real events, handed to the widget the way Qt
    hands them over at the end of a drag. (``QApplication.sendEvent`` would not deliver a drop
    without a drag in progress, so they go to the widget's ``event``.)"""
    where = QPointF(20, 20)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.MoveAction, mime, buttons, keys)
    card.event(enter)
    event = QDropEvent(where, Qt.DropAction.MoveAction, mime, buttons, keys)
    event.setAccepted(False)
    if enter.isAccepted():
        card.event(event)
    return event


def test_a_call_at_a_counter_updates_the_board(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    a1 = issue(run.kiosk, services["A"])
    issue(run.kiosk, services["A"])
    window = supervisor_window(qtbot, run.server.url)
    assert queue_row(window, services["A"])[1] == "2"
    assert card_text(window, counters[1]) == "—"
    assert window.counters.cards[counters[1]].state.text() == "Closed"

    petugas1 = run.login("petugas1")
    set_state(petugas1, counters[1], "open")
    called = call_next(petugas1, counters[1])
    assert called is not None and called["id"] == a1["id"]

    qtbot.waitUntil(lambda: card_text(window, counters[1]) == "A-001  ·  called", timeout=WAIT_MS)
    card = window.counters.cards[counters[1]]
    assert card.state.text() == "Open"
    assert card.officer.text() != "—"
    assert queue_row(window, services["A"])[1] == "1"
    assert window.waiting.listed_numbers() == ["A-002"]


def test_a_transfer_made_here_reaches_the_other_counter(
    qtbot: QtBot, office: Office, app_settings: AppSettings
) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    ticket = issue(run.kiosk, services["A"])
    loket3 = counter_window(qtbot, run.server.url, "petugas3", 3, app_settings)
    window = supervisor_window(qtbot, run.server.url)
    select_ticket(qtbot, window, services["A"], ticket["id"])
    assert window.transfer_button.isEnabled()

    window.transfer_button.click()
    dialog = window.transfer_dialog
    assert dialog is not None
    dialog.counter_box.setCurrentIndex(dialog.counter_box.findData(counters[3]))
    dialog.note.setText("Berkas lengkap")
    dialog.accept()
    assert window.controller.busy and not window.transfer_button.isEnabled()

    # Loket 3 serves B and C only; the transfer addressed to it is first in its list.
    qtbot.waitUntil(
        lambda: (
            [(t.number, t.note) for t in loket3.controller.waiting()]
            == [("A-001", "Berkas lengkap")]
        ),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=WAIT_MS)
    assert get_ticket(run.login("supervisor"), ticket["id"])["state"] == "transferred"
    event = last_event(office)
    assert event["kind"] == "ticket.transferred"
    assert event["user_id"] == user_id(run.login("supervisor"))
    # The board shows it in the service's list, addressed to Loket 3.
    qtbot.waitUntil(lambda: "→ Loket 3" in window.waiting.item(0).text(), timeout=WAIT_MS)


def test_a_called_ticket_is_transferred_from_its_counter_card(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    issue(run.kiosk, services["A"])
    petugas1 = run.login("petugas1")
    set_state(petugas1, counters[1], "open")
    call_next(petugas1, counters[1])
    window = supervisor_window(qtbot, run.server.url)
    card = window.counters.cards[counters[1]]
    qtbot.waitUntil(card.transfer.isEnabled, timeout=WAIT_MS)
    card.transfer.click()
    dialog = window.transfer_dialog
    assert dialog is not None
    dialog.to_service.setChecked(True)
    dialog.service_box.setCurrentIndex(dialog.service_box.findData(services["C"]))
    dialog.accept()
    qtbot.waitUntil(lambda: card_text(window, counters[1]) == "—", timeout=WAIT_MS)
    waiting = snapshot(petugas1, run.office.branch_id)["services"]
    by_prefix = {q["service"]["prefix"]: [t["number"] for t in q["waiting"]] for q in waiting}
    assert by_prefix["C"] == ["A-001"]


def test_dropping_a_ticket_on_a_counter_transfers_it(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    ticket = issue(run.kiosk, services["B"])
    window = supervisor_window(qtbot, run.server.url)
    select_ticket(qtbot, window, services["B"], ticket["id"])
    # What the list hands to a drag is what a card accepts.
    dragged = window.waiting.mimeData([window.waiting.currentItem()])
    assert dragged.hasFormat(TICKET_MIME)
    card = window.counters.cards[counters[4]]

    # Something else dropped (text, an unknown ticket) is refused and nothing is sent.
    text = QMimeData()
    text.setText(str(ticket["id"]))
    assert not drop(card, text).isAccepted()
    assert not drop(card, ticket_mime(999_999)).isAccepted()
    assert not window.controller.busy

    # Loket 4 is closed: the drop asks first, and "Choose another" sends nothing.
    assert drop(card, dragged).isAccepted()
    box = window.transfer_confirm_box
    assert box is not None and box.isVisible()
    assert box.text().startswith("Loket 4 is closed. Ticket B-001 will wait there")
    box.button(QMessageBox.StandardButton.No).click()
    assert not window.controller.busy
    sup = run.login("supervisor")
    assert get_ticket(sup, ticket["id"])["state"] == "waiting"
    assert drop(card, dragged).isAccepted()
    box = window.transfer_confirm_box
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: get_ticket(sup, ticket["id"])["state"] == "transferred", timeout=WAIT_MS
    )
    queue_b = next(
        q for q in snapshot(sup, run.office.branch_id)["services"] if q["service"]["prefix"] == "B"
    )
    (moved,) = queue_b["waiting"]
    assert (moved["number"], moved["target_counter_id"]) == ("B-001", counters[4])
    # Dropped again on the counter it is now addressed to: refused.
    select_ticket(qtbot, window, services["B"], moved["id"])
    assert not drop(card, ticket_mime(moved["id"])).isAccepted()


def test_move_to_front_makes_it_the_next_call(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    tickets = [issue(run.kiosk, services["A"]) for _ in range(3)]
    window = supervisor_window(qtbot, run.server.url)
    assert window.waiting.listed_numbers() == ["A-001", "A-002", "A-003"]
    select_ticket(qtbot, window, services["A"], tickets[2]["id"])
    window.front_button.click()
    assert not window.front_button.isEnabled()  # in flight
    qtbot.waitUntil(
        lambda: window.waiting.listed_numbers() == ["A-003", "A-001", "A-002"], timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=WAIT_MS)
    # Still waiting, so it may be moved again (a later move goes before the earlier ones).
    assert window.waiting.selected_ticket() == tickets[2]["id"]
    assert window.front_button.isEnabled()
    petugas1 = run.login("petugas1")
    set_state(petugas1, counters[1], "open")
    called = call_next(petugas1, counters[1])
    assert called is not None and called["number"] == "A-003"
    assert last_event(office)["kind"] == "ticket.called"


def test_cancel_asks_first_then_cancels(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services = run.office.services
    ticket = issue(run.kiosk, services["C"])
    window = supervisor_window(qtbot, run.server.url)
    select_ticket(qtbot, window, services["C"], ticket["id"])

    window.cancel_button.click()
    box = window.cancel_box
    assert box is not None and "C-001" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert not window.controller.busy
    assert get_ticket(run.login("supervisor"), ticket["id"])["state"] == "waiting"

    window.cancel_button.click()
    box = window.cancel_box
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.waiting.listed_numbers() == [], timeout=WAIT_MS)
    assert get_ticket(run.login("supervisor"), ticket["id"])["state"] == "cancelled"
    event = last_event(office)
    assert (event["kind"], event["user_id"]) == (
        "ticket.cancelled",
        user_id(run.login("supervisor")),
    )


def test_open_and_close_a_counter_from_its_card(qtbot: QtBot, office: Office) -> None:
    run = office.running
    loket4 = run.office.counters[4]
    window = supervisor_window(qtbot, run.server.url)
    card = window.counters.cards[loket4]
    assert card.toggle.text() == "Open"
    card.toggle.click()
    # One request at a time: every other card's button waits too.
    assert window.controller.busy
    assert not any(c.toggle.isEnabled() for c in window.counters.cards.values())
    qtbot.waitUntil(lambda: card.state.text() == "Open", timeout=WAIT_MS)
    sup = run.login("supervisor")
    states = {
        c["id"]: c["state"]
        for c in ok(sup.get(f"/api/v1/branches/{run.office.branch_id}/counters"))
    }
    assert states[loket4] == "open"
    qtbot.waitUntil(card.toggle.isEnabled, timeout=WAIT_MS)
    assert card.toggle.text() == "Close"
    card.toggle.click()
    qtbot.waitUntil(lambda: card.state.text() == "Closed", timeout=WAIT_MS)
    assert last_event(office)["kind"] == "counter.state"


def test_a_counter_with_a_ticket_cannot_be_closed_here(qtbot: QtBot, office: Office) -> None:
    run = office.running
    issue(run.kiosk, run.office.services["A"])
    petugas1 = run.login("petugas1")
    set_state(petugas1, run.office.counters[1], "open")
    call_next(petugas1, run.office.counters[1])
    window = supervisor_window(qtbot, run.server.url)
    card = window.counters.cards[run.office.counters[1]]
    qtbot.waitUntil(lambda: card_text(window, run.office.counters[1]) != "—", timeout=WAIT_MS)
    assert card.toggle.text() == "Close" and not card.toggle.isEnabled()
    assert not window.controller.set_counter_state(
        run.office.counters[1], card.counter.state.CLOSED
    )  # type: ignore[union-attr]


def test_running_text_goes_to_the_displays(qtbot: QtBot, office: Office) -> None:
    run = office.running
    window = supervisor_window(qtbot, run.server.url)
    window.running_text_action.trigger()
    dialog = window.text_dialog
    assert dialog is not None
    dialog.field.setText("Loket 4 istirahat sampai 13.00")
    dialog.accept()
    qtbot.waitUntil(
        lambda: window.running_text.text() == "Running text: Loket 4 istirahat sampai 13.00",
        timeout=WAIT_MS,
    )
    shown = snapshot(run.display, run.office.branch_id)["branch"]["running_text"]
    assert shown == "Loket 4 istirahat sampai 13.00"


def test_an_error_is_shown_and_the_board_resynced(qtbot: QtBot, office: Office) -> None:
    run = office.running
    ticket = issue(run.kiosk, run.office.services["A"])
    window = supervisor_window(qtbot, run.server.url)
    select_ticket(qtbot, window, run.office.services["A"], ticket["id"])
    # Someone else cancels it first; the board has not heard yet when we press.
    window.controller.feed.live.stop()
    ok(run.login("supervisor").post(f"/api/v1/tickets/{ticket['id']}/cancel"))
    window.front_button.click()
    qtbot.waitUntil(window.notice.isVisible, timeout=WAIT_MS)
    assert window.notice.text() == describe(ApiError(409, "invalid_transition", ""))
    qtbot.waitUntil(lambda: window.waiting.listed_numbers() == [], timeout=WAIT_MS)


def test_a_wait_past_the_target_raises_an_alert(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services = run.office.services
    issue(run.kiosk, services["B"])  # Kartu Keluarga: target 30 min
    issue(run.kiosk, services["A"])  # Perekaman KTP-el: target 45 min
    office.clock.now += timedelta(minutes=20)
    window = supervisor_window(qtbot, run.server.url)
    assert window.alerts.texts() == []
    assert window.alerts_title.text() == "Alerts"

    office.clock.now += timedelta(minutes=11)  # B-001 has now waited 31 minutes
    window.controller.feed.resync()
    qtbot.waitUntil(lambda: len(window.alerts.texts()) == 1, timeout=WAIT_MS)
    assert window.alerts.texts() == ["B-001 has waited 31 min (target 30 min)"]
    assert window.alerts_title.text() == "Alerts (1)"
    row = window.queues.service_ids.index(services["B"])
    longest = window.queues.item(row, 2)
    assert longest is not None and longest.foreground().color().name() == "#b71c1c"

    # Called: no longer waiting, no longer an alert; A-001 passes its 45 minutes meanwhile.
    petugas2 = run.login("petugas2")
    set_state(petugas2, run.office.counters[2], "open")
    office.clock.now += timedelta(minutes=15)
    called = call_next(petugas2, run.office.counters[2])  # longest wait first: B-001
    assert called is not None and called["number"] == "B-001"
    window.controller.feed.resync()
    qtbot.waitUntil(
        lambda: window.alerts.texts() == ["A-001 has waited 46 min (target 45 min)"],
        timeout=WAIT_MS,
    )


def test_a_device_fault_raises_an_alert_until_cleared(qtbot: QtBot, office: Office) -> None:
    run = office.running
    window = supervisor_window(qtbot, run.server.url)
    ok(run.kiosk.post("/api/v1/devices/fault", {"kind": "printer", "message": "out of paper"}), 201)
    qtbot.waitUntil(lambda: len(window.alerts.texts()) == 1, timeout=WAIT_MS)
    (text,) = window.alerts.texts()
    assert "Kiosk lobi: printer fault — out of paper" in text
    window.clear_faults_action.trigger()
    qtbot.waitUntil(lambda: window.alerts.texts() == [], timeout=WAIT_MS)


def test_the_reports_action_opens_the_reports_window(qtbot: QtBot, office: Office) -> None:
    window = supervisor_window(qtbot, office.running.server.url)
    window.reports_action.trigger()
    reports = window.reports_window
    assert reports is not None and reports.isVisible()
    assert reports.branch_id == office.running.office.branch_id


def test_only_supervisors_and_admins_get_the_window(
    qtbot: QtBot, office: Office, app_settings: AppSettings
) -> None:
    url = office.running.server.url
    assert sign_in_supervisor(url, "admin", PASSWORD).user.role == "admin"
    with pytest.raises(Exception) as refused:
        sign_in_supervisor(url, "petugas1", PASSWORD)
    dialog = LoginDialog(app_settings, url, sign_in_with=sign_in_supervisor)
    qtbot.addWidget(dialog)
    dialog.username.setText("petugas1")
    dialog.password.setText(PASSWORD)
    dialog.submit.click()
    qtbot.waitUntil(dialog.submit.isEnabled, timeout=WAIT_MS)
    assert dialog.error.text() == describe(refused.value)  # type: ignore[arg-type]
    assert "supervisor" in dialog.error.text()
    dialog.username.setText("supervisor")
    dialog.submit.click()
    qtbot.waitUntil(lambda: dialog.signed_in is not None, timeout=WAIT_MS)


def test_the_window_can_act_only_on_what_fits(qtbot: QtBot, office: Office) -> None:
    run = office.running
    window: SupervisorWindow = supervisor_window(qtbot, run.server.url)
    controller = window.controller
    assert not controller.can_ticket(Act.CANCEL, None)
    assert not window.transfer_button.isEnabled()  # nothing selected
    assert not controller.move_to_front(123_456)  # not on the board: nothing sent
    assert not controller.busy


def test_the_transfer_list_marks_counters_not_open_and_asks_first(
    qtbot: QtBot, office: Office
) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    ticket = issue(run.kiosk, services["B"])
    petugas2 = run.login("petugas2")
    set_state(petugas2, counters[2], "open")
    ok(petugas2.post(f"/api/v1/counters/{counters[2]}/state", {"state": "break"}))
    petugas3 = run.login("petugas3")
    set_state(petugas3, counters[3], "open")
    window = supervisor_window(qtbot, run.server.url)
    qtbot.waitUntil(
        lambda: (
            window.controller.board is not None
            and window.controller.board.counters[counters[3]].state.value == "open"
        ),
        timeout=WAIT_MS,
    )
    select_ticket(qtbot, window, services["B"], ticket["id"])
    window.open_transfer()
    dialog = window.transfer_dialog
    assert dialog is not None
    box = dialog.counter_box
    names = [box.itemText(i) for i in range(box.count())]
    assert names == ["Loket 1 — closed", "Loket 2 — on break", "Loket 3", "Loket 4 — closed"]

    # An open counter goes straight through; here, Loket 2 (on break) asks first.
    box.setCurrentIndex(box.findData(counters[2]))
    ok_button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok_button.click()
    confirm = dialog.confirm_box
    assert confirm is not None and confirm.isVisible()
    assert confirm.text().startswith("Loket 2 is on break.")
    confirm.button(QMessageBox.StandardButton.No).click()
    assert dialog.isVisible()  # back to the choice; nothing sent
    assert get_ticket(run.login("supervisor"), ticket["id"])["state"] == "waiting"
    ok_button.click()
    confirm = dialog.confirm_box
    assert confirm is not None
    confirm.button(QMessageBox.StandardButton.Yes).click()
    sup = run.login("supervisor")
    qtbot.waitUntil(
        lambda: get_ticket(sup, ticket["id"])["state"] == "transferred", timeout=WAIT_MS
    )


def test_a_ticket_waiting_at_a_closed_counter_past_the_target_raises_an_alert(
    qtbot: QtBot, office: Office
) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    sup = run.login("supervisor")
    ticket = issue(run.kiosk, services["B"])  # Kartu Keluarga: target 30 min
    office.clock.now += timedelta(minutes=5)
    ok(sup.post(f"/api/v1/tickets/{ticket['id']}/transfer", {"counter_id": counters[4]}))
    window = supervisor_window(qtbot, run.server.url)
    office.clock.now += timedelta(minutes=29)  # 34 min since issue, 29 at Loket 4
    window.controller.feed.resync()
    qtbot.waitUntil(lambda: len(window.alerts.texts()) == 1, timeout=WAIT_MS)
    # Past the target since its issue, but not yet stuck at Loket 4 for that long.
    assert window.alerts.texts() == ["B-001 has waited 34 min (target 30 min)"]

    office.clock.now += timedelta(minutes=2)  # 31 min at the closed Loket 4
    window.controller.feed.resync()
    qtbot.waitUntil(
        lambda: (
            window.alerts.texts()
            == [
                "B-001 waits at Loket 4, which is closed, for 31 min (target 30 min): "
                "open the counter or transfer the ticket"
            ]
        ),
        timeout=WAIT_MS,
    )
    # Opened: somebody will call it now, so the alert is the plain overdue one again.
    petugas4 = run.login("petugas4")
    set_state(petugas4, counters[4], "open")
    qtbot.waitUntil(
        lambda: window.alerts.texts() == ["B-001 has waited 36 min (target 30 min)"],
        timeout=WAIT_MS,
    )


def test_the_supervisor_calls_a_no_show_back_to_a_counter(qtbot: QtBot, office: Office) -> None:
    run = office.running
    services, counters = run.office.services, run.office.counters
    ticket = issue(run.kiosk, services["A"])
    petugas1 = run.login("petugas1")
    set_state(petugas1, counters[1], "open")
    assert call_next(petugas1, counters[1]) is not None
    ok(petugas1.post(f"/api/v1/tickets/{ticket['id']}/skip"))
    office.clock.now += timedelta(minutes=12)  # the citizen comes back from the toilet
    window = supervisor_window(qtbot, run.server.url)
    qtbot.waitUntil(
        lambda: (
            window.controller.board is not None
            and window.controller.board.counters[counters[1]].current_ticket_id is None
        ),
        timeout=WAIT_MS,
    )
    window.call_back_action.trigger()
    dialog = window.call_back_dialog
    assert dialog is not None
    box = dialog.counter_box
    assert [box.itemText(i) for i in range(box.count())] == ["Loket 1"]  # open and free only
    dialog.number.setText("A-001")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    sup = run.login("supervisor")
    qtbot.waitUntil(lambda: get_ticket(sup, ticket["id"])["state"] == "called", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: card_text(window, counters[1]).startswith("A-001"), timeout=WAIT_MS)

    # Skipped again and called back too late: the server's reason is shown, nothing changes.
    ok(petugas1.post(f"/api/v1/tickets/{ticket['id']}/skip"))
    office.clock.now += timedelta(minutes=31)
    qtbot.waitUntil(lambda: not card_text(window, counters[1]).startswith("A-001"), timeout=WAIT_MS)
    window.notice.setVisible(False)
    window.call_back_action.trigger()
    dialog = window.call_back_dialog
    assert dialog is not None
    dialog.number.setText("A-001")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(window.notice.isVisible, timeout=WAIT_MS)
    assert "new number" in window.notice.text()
    assert get_ticket(sup, ticket["id"])["state"] == "no_show"
