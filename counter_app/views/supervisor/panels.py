"""The parts of the supervisor's board: counter cards (drop targets), the service queues, the
waiting tickets of one service (drag source), and the alerts.

Each part redraws only when its text changes, so an event in a 40-counter office touches a
few labels rather than relaying out the whole window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.board import BranchBoard
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.office import CounterOut
from counter_app.schemas.tickets import EventOut, TicketOut
from counter_app.views.counter.panels import big_font
from counter_app.views.format import clock_text, duration, minutes_text
from counter_app.views.plain import plain_label

TICKET_MIME = "application/x-counter-app-ticket"  # the dragged ticket's id, in ASCII
LIST_LIMIT = 300  # a waiting list longer than this shows its head; the count says the rest
COUNTER_COLUMNS = 3
BADGE_STYLE = "padding:1px 8px;border-radius:4px;"
STATE_COLOURS = {
    CounterState.OPEN: "background:#2e7d32;color:white;",
    CounterState.BREAK: "background:#f9a825;color:black;",
    CounterState.CLOSED: "background:#616161;color:white;",
}
CARD_STYLE = "QFrame#counter_card { border:1px solid #9e9e9e; border-radius:6px; }"
DROP_STYLE = "QFrame#counter_card { border:3px solid #1565c0; border-radius:6px; }"
LATE = QColor("#b71c1c")
CELL_PADDING = 24  # a cell's or a header section's margins and sort-indicator room


def ticket_mime(ticket_id: int) -> QMimeData:
    mime = QMimeData()
    mime.setData(TICKET_MIME, str(ticket_id).encode("ascii"))
    return mime


def dropped_ticket(mime: QMimeData) -> int | None:
    if not mime.hasFormat(TICKET_MIME):
        return None
    raw = bytes(mime.data(TICKET_MIME).data()).decode("ascii", "replace")
    return int(raw) if raw.isdigit() else None


def _set(label: QLabel | QPushButton, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class CounterCard(QFrame):
    """One counter: state, officer, its ticket and how long it has been served. A ticket
    dropped on it is transferred to it."""

    dropped = Signal(int, int)  # ticket id, counter id
    state_requested = Signal(int, object)  # counter id, CounterState
    transfer_requested = Signal(int)  # the ticket at this counter

    def __init__(
        self,
        counter_id: int,
        accepts: Callable[[int, int], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("counter_card")
        self.setStyleSheet(CARD_STYLE)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.counter_id = counter_id
        self._accepts = accepts
        self.counter: CounterOut | None = None
        self.ticket: TicketOut | None = None
        self.title = plain_label("")
        self.title.setObjectName("card_title")
        self.title.setFont(big_font(12))
        self.state = plain_label("")
        self.state.setObjectName("card_state")
        self.state.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.officer = plain_label("")
        self.officer.setObjectName("card_officer")
        self.number = plain_label("—")
        self.number.setObjectName("card_ticket")
        self.number.setFont(big_font(18))
        self.times = plain_label("")
        self.times.setObjectName("card_times")
        self.toggle = QPushButton("")
        self.toggle.setObjectName("card_toggle")
        self.toggle.clicked.connect(self._toggle)
        self.transfer = QPushButton(self.tr("Transfer…"))
        self.transfer.setObjectName("card_transfer")
        self.transfer.clicked.connect(
            lambda: self.ticket and self.transfer_requested.emit(self.ticket.id)
        )
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle)
        buttons.addWidget(self.transfer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.officer)
        layout.addWidget(self.number)
        layout.addWidget(self.times)
        layout.addLayout(buttons)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(210, 150)

    def show_counter(
        self, counter: CounterOut, ticket: TicketOut | None, can_toggle: bool, busy: bool
    ) -> None:
        self.counter, self.ticket = counter, ticket
        _set(self.title, counter.name)
        states = {
            CounterState.OPEN: self.tr("Open"),
            CounterState.BREAK: self.tr("On break"),
            CounterState.CLOSED: self.tr("Closed"),
        }
        state_text = states[counter.state]
        if counter.state is CounterState.BREAK and counter.break_reason:
            state_text = f"{state_text}: {counter.break_reason}"
        if self.state.text() != state_text:
            self.state.setText(state_text)
            self.state.setStyleSheet(BADGE_STYLE + STATE_COLOURS[counter.state])
        _set(self.officer, counter.officer_name or "—")
        if ticket is None:
            _set(self.number, "—")
        else:
            what = (
                self.tr("called") if ticket.state is TicketState.CALLED else self.tr("being served")
            )
            _set(self.number, f"{ticket.number}  ·  {what}")
        closing = counter.state is not CounterState.CLOSED
        _set(self.toggle, self.tr("Close") if closing else self.tr("Open"))
        self.toggle.setEnabled(can_toggle)
        self.transfer.setEnabled(
            not busy and ticket is not None and ticket.state is TicketState.CALLED
        )

    def tick(self, now: datetime) -> None:
        ticket = self.ticket
        if ticket is None:
            _set(self.times, "")
        elif ticket.started_at is not None:
            served = (now - ticket.started_at).total_seconds()
            _set(self.times, self.tr("Serving for {time}").format(time=duration(served)))
        elif ticket.called_at is not None:
            calling = (now - ticket.called_at).total_seconds()
            _set(self.times, self.tr("Called {time} ago").format(time=duration(calling)))

    def _toggle(self) -> None:
        counter = self.counter
        if counter is None:
            return
        closing = counter.state is not CounterState.CLOSED
        self.state_requested.emit(
            self.counter_id, CounterState.CLOSED if closing else CounterState.OPEN
        )

    # --- a ticket dropped here ---

    def _wanted(self, mime: QMimeData) -> int | None:
        ticket_id = dropped_ticket(mime)
        if ticket_id is None or not self._accepts(ticket_id, self.counter_id):
            return None
        return ticket_id

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self._wanted(event.mimeData()) is None:
            event.ignore()
            return
        self.setStyleSheet(DROP_STYLE)
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt's name)
        if self._wanted(event.mimeData()) is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self.setStyleSheet(CARD_STYLE)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        self.setStyleSheet(CARD_STYLE)
        ticket_id = self._wanted(event.mimeData())
        if ticket_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(ticket_id, self.counter_id)


class CountersPanel(QWidget):
    """Every counter of the branch as a card, in a grid by counter number, as many cards a
    row as the width it is given shows whole (:meth:`fit`), at most ``COUNTER_COLUMNS``."""

    def __init__(self, accepts: Callable[[int, int], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counters_panel")
        self._accepts = accepts
        self.cards: dict[int, CounterCard] = {}
        self._grid = QGridLayout(self)
        self._grid.setSpacing(6)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.columns = COUNTER_COLUMNS
        self._width: int | None = None
        self.card_added: Callable[[CounterCard], None] = lambda _card: None

    def fit(self, width: int) -> None:
        """Lay the cards out for ``width`` pixels (the scroll area's visible width): a card
        cut at the edge would hide its counter's state and buttons."""
        self._width = width
        card = max((c.minimumSizeHint().width() for c in self.cards.values()), default=0)
        if card <= 0:
            return
        margins = self._grid.contentsMargins()
        spacing = self._grid.horizontalSpacing()
        usable = width - margins.left() - margins.right()
        columns = max(1, min(COUNTER_COLUMNS, (usable + spacing) // (card + spacing)))
        if columns != self.columns:
            self.columns = columns
            self._place()

    def _place(self) -> None:
        for card in self.cards.values():
            self._grid.removeWidget(card)
        for index, card in enumerate(self.cards.values()):
            self._grid.addWidget(card, index // self.columns, index % self.columns)

    def show_board(
        self, board: BranchBoard, can_toggle: Callable[[CounterOut], bool], busy: bool
    ) -> None:
        counters = sorted(board.counters.values(), key=lambda c: c.number)
        if [c.id for c in counters] != list(self.cards):
            self._rebuild([c.id for c in counters])
        for counter in counters:
            self.cards[counter.id].show_counter(
                counter, board.current.get(counter.id), can_toggle(counter), busy
            )

    def _rebuild(self, ids: list[int]) -> None:
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards = {}
        for index, counter_id in enumerate(ids):
            card = CounterCard(counter_id, self._accepts, self)
            self.cards[counter_id] = card
            self._grid.addWidget(card, index // self.columns, index % self.columns)
            self.card_added(card)
        if self._width is not None:
            self.fit(self._width)

    def tick(self, now: datetime) -> None:
        for card in self.cards.values():
            card.tick(now)


class CountersScroll(QScrollArea):
    """The counters' cards, scrolled up and down; their columns follow its visible width."""

    def __init__(self, panel: CountersPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counters_scroll")
        self.setWidgetResizable(True)
        self.setWidget(panel)
        self._panel = panel

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._panel.fit(self.viewport().width())


class QueuesTable(QTableWidget):
    """One row per service: waiting, longest wait, estimated wait for a newcomer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("queues_table")
        self.setHorizontalHeaderLabels(
            [self.tr("Service"), self.tr("Waiting"), self.tr("Longest wait"), self.tr("Estimate")]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.service_ids: list[int] = []

    def show_board(self, board: BranchBoard, now: datetime) -> None:
        services = sorted(board.services.values(), key=lambda s: (s.position, s.prefix))
        ids = [s.id for s in services]
        if ids != self.service_ids:
            selected = self.selected_service()
            self.service_ids = ids
            self.setRowCount(len(ids))
            for row in range(len(ids)):
                for col in range(4):
                    self.setItem(row, col, QTableWidgetItem(""))
            if ids:
                self.selectRow(ids.index(selected) if selected in ids else 0)
        for row, service in enumerate(services):
            longest = board.longest_wait(service.id, now)
            late = longest is not None and longest > service.target_wait_minutes * 60
            estimate = board.estimated_wait(service.id)
            texts = [
                f"{service.prefix} — {service.name}",
                str(board.waiting_count(service.id)),
                minutes_text(longest) if longest is not None else "—",
                minutes_text(estimate)
                if estimate is not None
                else self.tr("no counter open")
                if board.waiting_count(service.id)
                else "—",
            ]
            for col, text in enumerate(texts):
                item = self.item(row, col)
                if item is not None and item.text() != text:
                    item.setText(text)
            colour = QBrush(LATE) if late else QBrush()
            longest_item = self.item(row, 2)
            if longest_item is not None and longest_item.foreground() != colour:
                longest_item.setForeground(colour)
        self._keep_texts_whole()

    def _keep_texts_whole(self) -> None:
        """At least as wide as the widest text of each column and its header, so a narrow
        pane never cuts a service's name or a heading."""
        metrics = self.fontMetrics()
        header = self.horizontalHeader()
        header_metrics = header.fontMetrics()
        needed = 2 * self.frameWidth() + CELL_PADDING
        for col in range(self.columnCount()):
            title = self.horizontalHeaderItem(col)
            widest = header_metrics.horizontalAdvance(title.text()) if title else 0
            for row in range(self.rowCount()):
                item = self.item(row, col)
                if item is not None:
                    widest = max(widest, metrics.horizontalAdvance(item.text()))
            needed += widest + CELL_PADDING
        if self.verticalScrollBar().isVisible():
            needed += self.verticalScrollBar().sizeHint().width()
        if self.minimumWidth() != needed:
            self.setMinimumWidth(needed)

    def selected_service(self) -> int | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        if not rows or rows[0].row() >= len(self.service_ids):
            return None
        return self.service_ids[rows[0].row()]

    def select_service(self, service_id: int) -> None:
        self.selectRow(self.service_ids.index(service_id))


class WaitingList(QListWidget):
    """The waiting tickets of one service, in call order; drag one onto a counter card."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waiting_list")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self._shown: list[tuple[int, str]] = []

    def show_tickets(
        self, tickets: list[TicketOut], now: datetime, counter_names: dict[int, str]
    ) -> None:
        rows: list[tuple[int, str]] = []
        for ticket in tickets[:LIST_LIMIT]:
            waited = minutes_text((now - ticket.issued_at).total_seconds())
            marks = " ★" if ticket.priority else ""
            if ticket.front_at is not None:
                marks += " ⇧"
            text = f"{ticket.number}{marks}    {waited}"
            if ticket.target_counter_id is not None:
                text += "    → " + counter_names.get(ticket.target_counter_id, "?")
            if ticket.note:
                text += f"    · {ticket.note}"
            rows.append((ticket.id, text))
        if rows == self._shown:
            return
        selected = self.selected_ticket()
        self._shown = rows
        self.setUpdatesEnabled(False)
        self.clear()
        for ticket_id, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ticket_id)
            self.addItem(item)
            if ticket_id == selected:
                self.setCurrentItem(item)
        self.setUpdatesEnabled(True)

    def selected_ticket(self) -> int | None:
        item = self.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select_ticket(self, ticket_id: int) -> bool:
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == ticket_id:
                self.setCurrentRow(row)
                return True
        return False

    def listed_numbers(self) -> list[str]:
        return [self.item(row).text().split()[0] for row in range(self.count())]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802 (Qt's name)
        if not items:
            return QMimeData()
        return ticket_mime(int(items[0].data(Qt.ItemDataRole.UserRole)))

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt's name)
        return [TICKET_MIME]


class AlertsPanel(QListWidget):
    """Tickets waiting past their service's target (first those stuck at a counter that is
    closed or on a break), and faults the devices reported."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alerts")
        self.setWordWrap(True)
        self._shown: list[str] = []
        self.cleared_seq = 0  # faults up to this journal number were acknowledged

    def show_alerts(self, board: BranchBoard, now: datetime) -> list[str]:
        texts: list[str] = []
        for fault in board.device_faults:
            if fault.seq > self.cleared_seq:
                texts.append(self._fault_text(fault))
        stuck = board.stuck_at_closed_counters(now)
        for ticket, counter in stuck:
            texts.append(
                self.tr(
                    "{number} waits at {counter}, which is {state}, for {waited} "
                    "(target {target} min): open the counter or transfer the ticket"
                ).format(
                    number=ticket.number,
                    counter=counter.name,
                    state=(
                        self.tr("on break")
                        if counter.state is CounterState.BREAK
                        else self.tr("closed")
                    ),
                    waited=minutes_text((now - ticket.enqueued_at).total_seconds()),
                    target=board.services[ticket.service_id].target_wait_minutes,
                )
            )
        told = {ticket.id for ticket, _counter in stuck}
        for ticket in board.overdue(now):
            if ticket.id in told:
                continue
            service = board.services[ticket.service_id]
            texts.append(
                self.tr("{number} has waited {waited} (target {target} min)").format(
                    number=ticket.number,
                    waited=minutes_text((now - ticket.issued_at).total_seconds()),
                    target=service.target_wait_minutes,
                )
            )
        if texts != self._shown:
            self._shown = texts
            self.clear()
            for text in texts:
                item = QListWidgetItem(text)
                item.setForeground(QBrush(LATE))
                self.addItem(item)
        return texts

    def _fault_text(self, fault: EventOut) -> str:
        data = fault.data
        return self.tr("{time} {device}: {kind} fault — {message}").format(
            time=clock_text(fault.at),
            device=str(data.get("device_name", "?")),
            kind=str(data.get("kind", "?")),
            message=str(data.get("message", "")),
        )

    def texts(self) -> list[str]:
        return list(self._shown)
