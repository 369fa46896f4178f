"""The counter officer's main window."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.board import BranchBoard
from counter_app.core.states import UNDO_SKIP_SECONDS
from counter_app.core.vocabulary import CounterState
from counter_app.hardware.led_config import parse_display
from counter_app.schemas.auth import UserOut
from counter_app.schemas.office import CounterToday
from counter_app.schemas.tickets import TicketOut
from counter_app.views.counter.controller import CounterCommand, CounterController
from counter_app.views.counter.dialogs import TextDialog, TransferDialog
from counter_app.views.counter.labels import action_label
from counter_app.views.counter.panels import QueuePanel, TicketPanel, big_font
from counter_app.views.counter.settings_dialog import SettingsDialog
from counter_app.views.format import duration
from counter_app.views.led_outputs import LedOutputs
from counter_app.views.plain import plain_label
from counter_app.views.settings import AppSettings
from counter_app.views.simulation_band import show_board_mode, simulation_band
from counter_app.views.status_labels import every_second, notice_label, notice_timer, offline_banner
from counter_app.views.timers import later

NOTICE_STYLE = "background:#fff3cd;color:#5c4400;padding:6px;font-size:14px;"
# The counter's state as a coloured badge, so it never reads as one of the buttons beside it.
BADGE_STYLE = "padding:2px 10px;border-radius:4px;"
STATE_COLOURS = {
    CounterState.OPEN: "background:#2e7d32;color:white;",
    CounterState.BREAK: "background:#f9a825;color:black;",
    CounterState.CLOSED: "background:#616161;color:white;",
}
LED_NOTICE_SECONDS = 60
LIST_REFRESH_TICKS = 30  # the waiting minutes in the lists move on every half minute


def header_button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    """A button that never takes the keyboard focus (keys belong to the shortcuts)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(lambda _checked=False: slot())
    return button


class UndoSkipBar(QWidget):
    """After F5: "A-002 skipped — Undo (10)", for as long as the server allows the undo.

    The skip is final for the citizen only when this bar is gone; until then one press (or
    Ctrl+Z) returns the ticket to the counter as called. Later, "Call a number…" calls a
    no-show back within the service's window."""

    undo = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undo_skip_bar")
        self.label = plain_label("")
        self.label.setObjectName("undo_skip_text")
        self.button = QPushButton("")
        self.button.setObjectName("undo_skip")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(lambda _checked=False: self.undo.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setStyleSheet(NOTICE_STYLE)
        self.remaining = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._count_down)
        self.setVisible(False)

    def offer(self, number: str) -> None:
        # One second short of the server's limit, so a press on the last second still lands.
        self.remaining = max(1, UNDO_SKIP_SECONDS - 1)
        self.label.setText(self.tr("{number} skipped as a no-show.").format(number=number))
        self._show_remaining()
        self.setVisible(True)
        self.timer.start()

    def hide_offer(self) -> None:
        self.timer.stop()
        self.setVisible(False)

    def _count_down(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.hide_offer()
            self.expired.emit()
            return
        self._show_remaining()

    def _show_remaining(self) -> None:
        self.button.setText(self.tr("Undo ({seconds} s) — Ctrl+Z").format(seconds=self.remaining))


class CounterWindow(QMainWindow):
    window_closed = Signal()  # the window has really closed (not a refused close)

    def __init__(
        self,
        controller: CounterController,
        user: UserOut,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("counter_window")
        self.controller = controller
        self.user = user
        self.settings = settings
        self._closing = False
        self.logged_out = False  # closed by "Log out": the next officer may sign in
        self.transfer_dialog: TransferDialog | None = None
        self.text_dialog: TextDialog | None = None
        self.settings_dialog: SettingsDialog | None = None

        self.banner = offline_banner(self.tr("Connection to the server lost — retrying…"))
        self.notice = notice_label(NOTICE_STYLE)
        self.title = plain_label("")
        self.title.setObjectName("title")
        self.title.setFont(big_font(16))
        self.state_label = plain_label("")
        self.state_label.setObjectName("counter_state")
        self.state_label.setFont(big_font(14))

        self.ticket_panel = TicketPanel()
        self.queue_panel = QueuePanel()
        self.today = plain_label("")
        self.today.setObjectName("today")
        self.today.setFont(big_font(13, bold=False))

        self.undo_bar = UndoSkipBar(self)
        self.undo_bar.undo.connect(lambda: self.trigger(CounterCommand.UNDO_SKIP))
        self.buttons: dict[CounterCommand, QPushButton] = {}
        self.settings_button = header_button(self.tr("Settings…"), "settings", self.open_settings)
        self.logout_button = header_button(self.tr("Log out"), "logout", self.log_out)
        self.shortcuts: list[QShortcut] = []
        self._build_layout(self._build_buttons())
        self._bind_keys(settings.keys())

        self.leds: LedOutputs | None = None
        self._led_notices: dict[str, float] = {}
        controller.board_changed.connect(self.refresh)
        controller.busy_changed.connect(lambda _busy: self.refresh_buttons())
        controller.online_changed.connect(self._online)
        controller.today_changed.connect(self._today)
        controller.failed.connect(self.show_notice)
        controller.skip_undoable.connect(self._skip_undoable)
        self.undo_bar.expired.connect(controller.forget_skip)
        controller.closed.connect(self._closed)
        self._start_timers()
        self.refresh()

    def _start_timers(self) -> None:
        self._notice_timer = notice_timer(self, self.notice)
        self._ticks = 0
        self.timer = every_second(self, self._tick)

    def _build_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        layout_plan = [
            (CounterCommand.CALL_NEXT, 0, 0),
            (CounterCommand.RECALL, 0, 1),
            (CounterCommand.START, 1, 0),
            (CounterCommand.FINISH, 1, 1),
            (CounterCommand.SKIP, 2, 0),
            (CounterCommand.TRANSFER, 2, 1),
            (CounterCommand.RETURN, 3, 0),
            (CounterCommand.CALL_NUMBER, 3, 1),
        ]
        for action, row, col in layout_plan:
            button = QPushButton(action_label(action))
            button.setObjectName(action.value)
            button.setMinimumHeight(72)
            button.setFont(big_font(14))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, a=action: self.trigger(a))
            grid.addWidget(button, row, col)
            self.buttons[action] = button
        for action in (CounterCommand.OPEN, CounterCommand.BREAK, CounterCommand.CLOSE):
            self.buttons[action] = header_button(
                action_label(action), f"state_{action.value}", partial(self.trigger, action)
            )
        return grid

    def _build_layout(self, grid: QGridLayout) -> None:
        self.simulation = simulation_band()
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.state_label)
        for action in (CounterCommand.OPEN, CounterCommand.BREAK, CounterCommand.CLOSE):
            header.addWidget(self.buttons[action])
        header.addWidget(self.settings_button)
        header.addWidget(self.logout_button)
        left = QVBoxLayout()
        left.addWidget(self.ticket_panel, 1)
        left.addLayout(grid)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.queue_panel, 2)
        root = QVBoxLayout()
        root.addWidget(self.simulation)
        root.addWidget(self.banner)
        root.addLayout(header)
        root.addWidget(self.notice)
        root.addWidget(self.undo_bar)
        root.addLayout(body, 1)
        root.addWidget(self.today)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)
        self.resize(1100, 720)

    def _bind_keys(self, keys: dict[str, list[str]]) -> None:
        """Each action's keys (its F-key and any keypad key), also written on its button."""
        for old in self.shortcuts:
            old.setEnabled(False)
            old.deleteLater()
        self.shortcuts = []
        for name, sequences in keys.items():
            action = CounterCommand(name)
            for sequence in sequences:
                # A keypad key ("Num+1") also fires a plain "1" shortcut: Qt falls back to it.
                shortcut = QShortcut(QKeySequence(sequence), self)
                shortcut.setAutoRepeat(False)  # a held key is one press
                shortcut.activated.connect(lambda a=action: self.trigger(a))
                self.shortcuts.append(shortcut)
            self.buttons[action].setText(f"{action_label(action)}\n({' / '.join(sequences)})")
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)  # Ctrl+Z
        undo.setAutoRepeat(False)
        undo.activated.connect(lambda: self.trigger(CounterCommand.UNDO_SKIP))
        self.shortcuts.append(undo)

    # --- drawing ---

    def refresh(self) -> None:
        board = self.controller.board
        counter = self.controller.counter
        if board is None or counter is None:
            self.title.setText(self.tr("Loading…"))
            self.refresh_buttons()
            return
        show_board_mode(self.simulation, board, counter.id)
        self.title.setText(
            f"{board.branch.name} — {counter.name} — {self.user.full_name or self.user.username}"
        )
        self.setWindowTitle(f"{counter.name} — counter_app")
        states = {
            CounterState.OPEN: self.tr("Open"),
            CounterState.BREAK: self.tr("On break"),
            CounterState.CLOSED: self.tr("Closed"),
        }
        self.state_label.setText(states[counter.state])
        self.state_label.setStyleSheet(BADGE_STYLE + STATE_COLOURS[counter.state])
        self.queue_panel.set_services(
            [board.services[s] for s in counter.service_ids if s in board.services]
        )
        self.ticket_panel.show_ticket(self.controller.current)
        self.queue_panel.show_waiting(self.controller.waiting())
        self.refresh_buttons()
        self._drive_led(board, counter.number)

    # --- the LED display above this counter ---

    def _drive_led(self, board: BranchBoard, number: int) -> None:
        if self.leds is None:
            text = self.settings.led_display
            if not text:
                return
            try:
                display = parse_display(text)
            except ValueError as exc:
                self.show_notice(
                    self.tr("LED display settings are wrong: {error}").format(error=exc)
                )
                self.leds = LedOutputs({}, self)
                return
            self.leds = LedOutputs({number: display}, self)
            self.leds.fault.connect(self._led_fault)
            self.leds.start()
        self.leds.update(board)

    def _led_fault(self, message: str) -> None:
        """Tell the officer, once a minute at most per fault; the driver keeps retrying."""
        now = time.monotonic()
        if now - self._led_notices.get(message, -LED_NOTICE_SECONDS) < LED_NOTICE_SECONDS:
            return
        self._led_notices[message] = now
        self.show_notice(self.tr("LED display fault: {message}").format(message=message))

    def _stop_leds(self) -> None:
        if self.leds is not None:
            self.leds.stop()

    def refresh_buttons(self) -> None:
        for action, button in self.buttons.items():
            button.setEnabled(self.controller.can(action))
        self.undo_bar.button.setEnabled(self.controller.can(CounterCommand.UNDO_SKIP))

    def _skip_undoable(self, ticket: TicketOut | None) -> None:
        if ticket is None:
            self.undo_bar.hide_offer()
        else:
            self.undo_bar.offer(ticket.number)
        self.refresh_buttons()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)
        self._notice_timer.start()

    def _online(self, online: bool) -> None:
        self.banner.setVisible(not online)

    def _today(self, today: CounterToday) -> None:
        self.today.setText(
            self.tr("Today: {served} served · {no_show} no-show · average service {avg}").format(
                served=today.served,
                no_show=today.no_show,
                avg=duration(today.average_service_seconds),
            )
        )

    def _tick(self) -> None:
        now = datetime.now(UTC)
        self.ticket_panel.tick(now)
        self._ticks += 1
        if self._ticks % LIST_REFRESH_TICKS == 0:
            self.queue_panel.show_waiting(self.controller.waiting(), now)

    # --- acting ---

    def trigger(self, action: CounterCommand) -> None:
        if not self.controller.can(action):
            return
        c = self.controller
        match action:
            case CounterCommand.CALL_NEXT:
                c.call_next()
            case CounterCommand.RECALL:
                c.recall()
            case CounterCommand.START:
                c.start_service()
            case CounterCommand.FINISH:
                c.finish()
            case CounterCommand.SKIP:
                c.skip()
            case CounterCommand.RETURN:
                c.return_to_queue()
            case CounterCommand.TRANSFER:
                self.open_transfer()
            case CounterCommand.CALL_NUMBER:
                self.open_text(CounterCommand.CALL_NUMBER)
            case CounterCommand.UNDO_SKIP:
                c.undo_skip()
            case CounterCommand.OPEN:
                c.set_state(CounterState.OPEN)
            case CounterCommand.BREAK:
                self.open_text(CounterCommand.BREAK)
            case CounterCommand.CLOSE:
                c.set_state(CounterState.CLOSED)

    def open_transfer(self) -> None:
        board, current = self.controller.board, self.controller.current
        if board is None or current is None:
            return
        counters = sorted(
            (c for c in board.counters.values() if c.id != self.controller.counter_id),
            key=lambda c: c.number,
        )
        services = sorted(board.services.values(), key=lambda s: (s.position, s.prefix))
        dialog = TransferDialog(current.number, counters, services, self)
        self.transfer_dialog = dialog

        def accepted() -> None:
            counter_id, service_id = dialog.target()
            self.controller.transfer(
                counter_id=counter_id, service_id=service_id, note=dialog.note.text()
            )

        dialog.accepted.connect(accepted)
        dialog.open()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        self.settings_dialog = dialog
        dialog.accepted.connect(lambda: self._bind_keys(self.settings.keys()))
        dialog.open()

    def open_text(self, action: CounterCommand) -> None:
        if action is CounterCommand.CALL_NUMBER:
            dialog = TextDialog(self.tr("Call a number"), self.tr("Ticket number"), "A-007", self)
        else:
            dialog = TextDialog(
                self.tr("Take a break"), self.tr("Reason (optional)"), self.tr("e.g. prayer"), self
            )
        self.text_dialog = dialog

        def accepted() -> None:
            if action is CounterCommand.CALL_NUMBER:
                if dialog.text():
                    self.controller.call_number(dialog.text())
            else:
                self.controller.set_state(CounterState.BREAK, dialog.text())

        dialog.accepted.connect(accepted)
        dialog.open()

    # --- closing (or logging out) closes the counter ---

    def log_out(self) -> None:
        self.logged_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        counter = self.controller.counter
        if self._closing or counter is None or counter.state is CounterState.CLOSED:
            self.controller.stop()
            self._stop_leds()
            event.accept()
            self.window_closed.emit()
            return
        if self.controller.current is not None:
            self.logged_out = False
            # Not a modal box: the officer must be able to keep working at once.
            self.show_notice(
                self.tr(
                    "Finish, skip or return ticket {number} before closing the counter."
                ).format(number=self.controller.current.number)
            )
            event.ignore()
            return
        event.ignore()
        self._closing = True
        self.controller.set_state(CounterState.CLOSED)
        # If the server cannot be reached, do not keep the officer hostage.
        later(self, 5000, self.close)

    def _closed(self) -> None:
        if self._closing:
            self.close()

    def shut_down(self) -> None:
        """Close without touching the counter on the server (tests, application exit)."""
        self._closing = True
        self.controller.stop()
        self.close()
