"""The supervisor's window: the whole office live, its alerts, and the actions on tickets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.board import Change
from counter_app.core.vocabulary import CounterState, Role
from counter_app.schemas.auth import UserOut
from counter_app.schemas.office import CounterOut
from counter_app.schemas.tickets import TicketOut
from counter_app.views.counter.dialogs import TextDialog, TransferDialog
from counter_app.views.counter.panels import big_font
from counter_app.views.plain import plain_label
from counter_app.views.readable import make_readable
from counter_app.views.simulation_band import mode_band, show_board_mode
from counter_app.views.status_labels import every_second, notice_label, notice_timer, offline_banner
from counter_app.views.supervisor.call_back import CallBackDialog
from counter_app.views.supervisor.controller import Act, SupervisorController
from counter_app.views.supervisor.panels import (
    AlertsPanel,
    CounterCard,
    CountersPanel,
    CountersScroll,
    QueuesTable,
    WaitingList,
)

STRIP_PADDING = 6
NOTICE_STYLE = f"background:#fff3cd;color:#5c4400;padding:{STRIP_PADDING}px;font-size:14px;"
ALERT_TITLE_STYLE = "color:#b71c1c;"
SLOW_REFRESH_TICKS = 15  # waits and alerts move with the clock: redraw them every 15 s


class SupervisorWindow(QMainWindow):
    refreshed = Signal()  # the board has been redrawn (the benchmark times up to here)
    window_closed = Signal()

    def __init__(
        self, controller: SupervisorController, user: UserOut, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisor_window")
        self.controller = controller
        self.user = user
        self.transfer_dialog: TransferDialog | None = None
        self.transfer_confirm_box: QMessageBox | None = None
        self.call_back_dialog: CallBackDialog | None = None
        self.text_dialog: TextDialog | None = None
        self.cancel_box: QMessageBox | None = None
        self.reports_window: QWidget | None = None
        self.users_dialog: QWidget | None = None
        self.devices_dialog: QWidget | None = None
        self._pending_changes: set[Change] = set()

        self._build_heading()

        self.queues = QueuesTable()
        self.queues.itemSelectionChanged.connect(self._service_chosen)
        self.waiting = WaitingList()
        self.waiting.itemSelectionChanged.connect(self.refresh_buttons)
        self.counters = CountersPanel(controller.can_transfer_to_id)
        self.counters.card_added = self._wire_card
        self.alerts = AlertsPanel()
        self.alerts_title = plain_label(self.tr("Alerts"))
        self.alerts_title.setObjectName("alerts_title")
        self.alerts_title.setFont(big_font(13))

        self.transfer_button = self._button(self.tr("Transfer…"), "transfer", self.open_transfer)
        self.front_button = self._button(self.tr("Move to front"), "front", self.move_to_front)
        self.cancel_button = self._button(self.tr("Cancel ticket"), "cancel", self.ask_cancel)
        self._build_toolbar()
        self._build_layout()

        controller.board_changed.connect(self._board_changed)
        # At once, not on the next turn: a second click must find the buttons disabled.
        controller.busy_changed.connect(lambda _busy: self.refresh())
        controller.online_changed.connect(lambda online: self.banner.setVisible(not online))
        controller.failed.connect(self.show_notice)
        controller.succeeded.connect(self._succeeded)
        self._start_timers()

    def _build_heading(self) -> None:
        """The status strip (banner, notice), the title and the running text."""
        self.banner = offline_banner(self.tr("Connection to the server lost — retrying…"))
        self.notice = notice_label(NOTICE_STYLE)
        self.status_strip = self._status_strip()
        self.title = plain_label(self.tr("Loading…"))
        self.title.setObjectName("title")
        self.title.setFont(big_font(16))
        self.running_text = plain_label("")
        self.running_text.setObjectName("running_text")
        self.running_text.setWordWrap(True)
        # Two lines' room whether or not there is a running text: setting one moves nothing.
        lines = self.running_text.fontMetrics().lineSpacing()
        self.running_text.setFixedHeight(2 * lines + 4)

    def _status_strip(self) -> QWidget:
        """The banner and the notice share one strip of fixed height: one appearing or going
        never moves the board, so a click aimed at a row lands on that row."""
        strip = QWidget()
        strip.setObjectName("status_strip")
        row = QHBoxLayout(strip)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.banner)
        row.addWidget(self.notice, 1)
        lines = max(
            self.notice.fontMetrics().lineSpacing() * 2 + 2 * STRIP_PADDING,
            self.banner.sizeHint().height(),
        )
        strip.setFixedHeight(lines)
        return strip

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(36)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Supervisor"))
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        self.running_text_action = QAction(self.tr("Running text…"), self)
        self.running_text_action.setObjectName("running_text_action")
        self.running_text_action.triggered.connect(self.open_running_text)
        self.reports_action = QAction(self.tr("Reports…"), self)
        self.reports_action.setObjectName("reports_action")
        self.reports_action.triggered.connect(self.open_reports)
        self.call_back_action = QAction(self.tr("Call a number back…"), self)
        self.call_back_action.setObjectName("call_back_action")
        self.call_back_action.triggered.connect(self.open_call_back)
        self.clear_faults_action = QAction(self.tr("Clear device faults"), self)
        self.clear_faults_action.setObjectName("clear_faults_action")
        self.clear_faults_action.triggered.connect(self.clear_faults)
        for action in (
            self.running_text_action,
            self.reports_action,
            self.call_back_action,
            self.clear_faults_action,
        ):
            bar.addAction(action)
        # Accounts are an admin's (the server checks too): supervisors do not see the action.
        self.users_action = QAction(self.tr("Users…"), self)
        self.users_action.setObjectName("users_action")
        self.users_action.triggered.connect(self.open_users)
        self.users_action.setVisible(self.user.role is Role.ADMIN)
        bar.addAction(self.users_action)
        self.devices_action = QAction(self.tr("Devices…"), self)
        self.devices_action.setObjectName("devices_action")
        self.devices_action.triggered.connect(self.open_devices)
        bar.addAction(self.devices_action)
        self.addToolBar(bar)

    def _build_layout(self) -> None:
        left = QVBoxLayout()
        queues_box = QGroupBox(self.tr("Queues"))
        inner = QVBoxLayout(queues_box)
        inner.addWidget(self.queues)
        left.addWidget(queues_box, 2)
        waiting_box = QGroupBox(self.tr("Waiting — drag a ticket onto a counter to transfer it"))
        inner = QVBoxLayout(waiting_box)
        inner.addWidget(self.waiting)
        row = QHBoxLayout()
        for button in (self.transfer_button, self.front_button, self.cancel_button):
            row.addWidget(button)
        inner.addLayout(row)
        left.addWidget(waiting_box, 3)
        left_widget = QWidget()
        left_widget.setLayout(left)

        scroll = CountersScroll(self.counters)

        right = QVBoxLayout()
        right.addWidget(self.alerts_title)
        right.addWidget(self.alerts, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_widget)
        splitter.addWidget(scroll)
        splitter.addWidget(right_widget)
        splitter.setSizes([560, 620, 260])
        splitter.setChildrenCollapsible(False)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.running_text, 1)
        self.mode_band = mode_band()
        root = QVBoxLayout()
        root.addWidget(self.mode_band)
        root.addLayout(header)
        root.addWidget(self.status_strip)
        root.addWidget(splitter, 1)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)
        self.resize(1440, 860)

    def _start_timers(self) -> None:
        # Owned by the window, so they die with it.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)  # a burst of events is drawn once
        self._refresh_timer.timeout.connect(self.refresh)
        self._notice_timer = notice_timer(self, self.notice)
        self._ticks = 0
        self.timer = every_second(self, self._tick)

    def _wire_card(self, card: CounterCard) -> None:
        card.dropped.connect(self.drop_transfer)
        card.state_requested.connect(self.set_counter_state)
        card.transfer_requested.connect(self.open_transfer)

    # --- drawing ---

    def _board_changed(self, changes: set[Change], _live: bool) -> None:
        self._schedule(changes)

    def _schedule(self, changes: set[Change]) -> None:
        self._pending_changes |= changes
        self._refresh_timer.start()

    def now(self) -> datetime:
        return self.controller.feed.server_now()

    def refresh(self) -> None:
        self._pending_changes.clear()
        board = self.controller.board
        if board is None:
            self.refresh_buttons()
            return
        now = self.now()
        show_board_mode(self.mode_band, board)
        _set_text(
            self.title,
            f"{board.branch.name} — {self.user.full_name or self.user.username}",
        )
        self.setWindowTitle(self.tr("Supervisor — {branch}").format(branch=board.branch.name))
        running = board.branch.running_text
        _set_text(
            self.running_text,
            self.tr("Running text: {text}").format(text=running) if running else "",
        )
        self.counters.show_board(
            board, lambda c: counter_can_toggle(self.controller, c), self.controller.busy
        )
        self.counters.tick(now)
        self.queues.show_board(board, now)
        self._show_waiting(now)
        alerts = self.alerts.show_alerts(board, now)
        _set_text(
            self.alerts_title,
            self.tr("Alerts ({count})").format(count=len(alerts)) if alerts else self.tr("Alerts"),
        )
        self.alerts_title.setStyleSheet(ALERT_TITLE_STYLE if alerts else "")
        self.refresh_buttons()
        self.refreshed.emit()

    def _show_waiting(self, now: datetime) -> None:
        board = self.controller.board
        service_id = self.queues.selected_service()
        if board is None or service_id is None:
            self.waiting.show_tickets([], now, {})
            return
        tickets = board.waiting_for_service(service_id) + sorted(
            (
                t
                for t in board.waiting.values()
                if t.service_id == service_id and t.target_counter_id is not None
            ),
            key=lambda t: (t.enqueued_at, t.id),
        )
        names = {c.id: c.name for c in board.counters.values()}
        self.waiting.show_tickets(tickets, now, names)

    def _service_chosen(self) -> None:
        self._show_waiting(self.now())
        self.refresh_buttons()

    def refresh_buttons(self) -> None:
        ticket = self.selected_ticket()
        c = self.controller
        self.transfer_button.setEnabled(c.can_ticket(Act.TRANSFER, ticket))
        self.front_button.setEnabled(c.can_ticket(Act.FRONT, ticket))
        self.cancel_button.setEnabled(c.can_ticket(Act.CANCEL, ticket))
        self.running_text_action.setEnabled(not c.busy and c.board is not None)

    def selected_ticket(self) -> TicketOut | None:
        ticket_id = self.waiting.selected_ticket()
        return self.controller.ticket(ticket_id) if ticket_id is not None else None

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)
        self._notice_timer.start()

    def _tick(self) -> None:
        now = self.now()
        self.counters.tick(now)
        self._ticks += 1
        if self._ticks % SLOW_REFRESH_TICKS == 0:
            self._schedule(set())

    # --- acting ---

    def _succeeded(self, act: str, _result: object) -> None:
        messages = {
            Act.TRANSFER.value: self.tr("Ticket transferred."),
            Act.FRONT.value: self.tr("Ticket moved to the front: it is called next."),
            Act.CANCEL.value: self.tr("Ticket cancelled."),
            Act.RUNNING_TEXT.value: self.tr("Running text sent to the displays."),
            Act.CALL_NUMBER.value: self.tr("Ticket called."),
        }
        if act in messages:
            self.show_notice(messages[act])

    def drop_transfer(self, ticket_id: int, counter_id: int) -> None:
        """A ticket dropped on a counter card; on a closed or resting counter, ask first."""
        board = self.controller.board
        counter = board.counters.get(counter_id) if board else None
        ticket = self.controller.ticket(ticket_id)
        if counter is None or ticket is None or counter.state is CounterState.OPEN:
            self.controller.transfer(ticket_id, counter_id=counter_id)
            return
        state = self.tr("on break") if counter.state is CounterState.BREAK else self.tr("closed")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Counter not open"),
            self.tr(
                "{counter} is {state}. Ticket {number} will wait there, and nobody calls it "
                "until the counter opens. Transfer anyway?"
            ).format(counter=counter.name, state=state, number=ticket.number),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("transfer_confirm_box")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Transfer anyway"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Choose another"))
        self.transfer_confirm_box = box

        def answered(button: object) -> None:
            if button is box.button(QMessageBox.StandardButton.Yes):
                self.controller.transfer(ticket_id, counter_id=counter_id)

        box.buttonClicked.connect(answered)
        box.open()

    def open_transfer(self, ticket_id: int | None = None) -> None:
        board = self.controller.board
        if ticket_id is None:
            ticket_id = self.waiting.selected_ticket()
        ticket = self.controller.ticket(ticket_id) if ticket_id is not None else None
        if board is None or ticket is None or not self.controller.can_ticket(Act.TRANSFER, ticket):
            return
        counters = sorted(
            (c for c in board.counters.values() if c.id != ticket.counter_id),
            key=lambda c: c.number,
        )
        services = sorted(board.services.values(), key=lambda s: (s.position, s.prefix))
        dialog = TransferDialog(ticket.number, counters, services, self)
        make_readable(dialog)
        self.transfer_dialog = dialog
        chosen = ticket.id

        def accepted() -> None:
            counter_id, service_id = dialog.target()
            self.controller.transfer(
                chosen, counter_id=counter_id, service_id=service_id, note=dialog.note.text()
            )

        dialog.accepted.connect(accepted)
        dialog.open()

    def open_call_back(self) -> None:
        """Call a ticket (a no-show who came back) by number to an open, free counter."""
        board = self.controller.board
        if board is None:
            return
        free = sorted(
            (
                c
                for c in board.counters.values()
                if c.state is CounterState.OPEN and c.id not in board.current
            ),
            key=lambda c: c.number,
        )
        if not free:
            self.show_notice(self.tr("No counter is open and free to call a ticket to."))
            return
        dialog = CallBackDialog(free, self)
        self.call_back_dialog = dialog

        def accepted() -> None:
            number, counter_id = dialog.choice()
            self.controller.call_number(counter_id, number)

        dialog.accepted.connect(accepted)
        dialog.open()

    def move_to_front(self) -> None:
        ticket_id = self.waiting.selected_ticket()
        if ticket_id is not None:
            self.controller.move_to_front(ticket_id)

    def ask_cancel(self) -> None:
        ticket = self.selected_ticket()
        ticket_id = self.waiting.selected_ticket()
        if (
            ticket is None
            or ticket_id is None
            or not self.controller.can_ticket(Act.CANCEL, ticket)
        ):
            return
        number = ticket.number
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Cancel ticket"),
            self.tr("Cancel ticket {number}? The citizen loses their place.").format(number=number),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("cancel_box")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the number's prefix is admin-typed
        make_readable(box)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Cancel the ticket"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep it"))
        self.cancel_box = box

        def answered(button: object) -> None:
            if button is box.button(QMessageBox.StandardButton.Yes):
                self.controller.cancel(ticket_id)

        box.buttonClicked.connect(answered)
        box.open()  # not modal to the app: the board keeps moving

    def set_counter_state(self, counter_id: int, state: object) -> None:
        if isinstance(state, CounterState):
            self.controller.set_counter_state(counter_id, state)

    def open_running_text(self) -> None:
        board = self.controller.board
        if board is None:
            return
        dialog = TextDialog(
            self.tr("Running text"),
            self.tr("Text running along the bottom of the displays (empty: none)"),
            self.tr("e.g. Counter 4 is closed for a break until 13.00"),
            self,
        )
        make_readable(dialog)
        dialog.field.setObjectName("running_text_field")
        dialog.field.setMaxLength(500)
        dialog.field.setText(board.branch.running_text)
        self.text_dialog = dialog
        dialog.accepted.connect(lambda: self.controller.set_running_text(dialog.text()))
        dialog.open()

    def clear_faults(self) -> None:
        board = self.controller.board
        if board is not None and board.device_faults:
            self.alerts.cleared_seq = max(f.seq for f in board.device_faults)
            self._schedule(set())

    def open_reports(self) -> None:
        # Imported when asked for: the board starts without loading the charts module.
        from counter_app.views.reports.window import ReportsWindow

        window = ReportsWindow(self.controller.client, self.controller.branch_id, self)
        window.setWindowFlag(Qt.WindowType.Window, True)
        self.reports_window = window
        window.show()

    def open_users(self) -> None:
        from counter_app.views.supervisor.users_panel import UsersDialog

        dialog = UsersDialog(self.controller.client, self)
        self.users_dialog = dialog
        dialog.open()

    def open_devices(self) -> None:
        from counter_app.views.supervisor.devices_dialog import DevicesDialog

        dialog = DevicesDialog(self.controller.client, self)
        self.devices_dialog = dialog
        dialog.open()

    # --- closing ---

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.controller.stop()
        event.accept()
        self.window_closed.emit()

    def shut_down(self) -> None:
        """Close (tests, application exit)."""
        self.close()


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


def counter_can_toggle(controller: SupervisorController, counter: CounterOut) -> bool:
    act = Act.OPEN_COUNTER if counter.state is CounterState.CLOSED else Act.CLOSE_COUNTER
    return controller.can_counter(act, counter)
