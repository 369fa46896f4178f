"""The two big panels of the counter window: the current ticket, and who is waiting."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.states import TicketState
from counter_app.schemas.office import ServiceOut
from counter_app.schemas.tickets import TicketOut
from counter_app.views.format import duration, minutes_text
from counter_app.views.plain import plain_label

TRANSFER_ROWS = 3  # the transfers list is short: it stays small and leaves room for the queues


def big_font(points: int, *, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


class TicketPanel(QFrame):
    """The ticket at this counter, large enough to read from a metre away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = plain_label("—")
        self.number.setObjectName("ticket_number")
        self.number.setFont(big_font(64))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service = plain_label("")
        self.service.setObjectName("ticket_service")
        self.service.setFont(big_font(16, bold=False))
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The name on the online booking the ticket came from, to greet the citizen by it.
        self.booking = plain_label("")
        self.booking.setObjectName("ticket_booking_name")
        self.booking.setFont(big_font(16))
        self.booking.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.booking.setWordWrap(True)
        self.booking.setVisible(False)
        self.status = plain_label("")
        self.status.setObjectName("ticket_status")
        self.status.setFont(big_font(16))
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.times = plain_label("")
        self.times.setObjectName("ticket_times")
        self.times.setFont(big_font(13, bold=False))
        self.times.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = plain_label("")
        self.note.setObjectName("ticket_note")
        self.note.setFont(big_font(13, bold=False))
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (
            self.number,
            self.service,
            self.booking,
            self.status,
            self.times,
            self.note,
        ):
            layout.addWidget(widget)
        self.ticket: TicketOut | None = None

    def show_ticket(self, ticket: TicketOut | None) -> None:
        self.ticket = ticket
        if ticket is None:
            self.number.setText("—")
            self.service.setText(self.tr("No ticket at this counter"))
            self.booking.setText("")
            self.booking.setVisible(False)
            self.status.setText("")
            self.times.setText("")
            self.note.setText("")
            return
        self.number.setText(ticket.number)
        priority = self.tr(" · priority") if ticket.priority else ""
        self.service.setText(f"{ticket.service_name}{priority}")
        name = ticket.booking_name
        self.booking.setText(self.tr("Online booking: {name}").format(name=name) if name else "")
        self.booking.setVisible(bool(name))
        self.status.setText(
            self.tr("Called — waiting for the citizen")
            if ticket.state is TicketState.CALLED
            else self.tr("Being served")
        )
        # A transfer's note from the officer who sent it.
        self.note.setText(self.tr("Note: {note}").format(note=ticket.note) if ticket.note else "")
        self.tick()

    def tick(self, now: datetime | None = None) -> None:
        ticket = self.ticket
        if ticket is None:
            return
        now = now or datetime.now(UTC)
        waited_until = ticket.called_at or now
        waited = (waited_until - ticket.issued_at).total_seconds()
        text = self.tr("Waited {waited}").format(waited=minutes_text(waited))
        if ticket.started_at is not None:
            served = (now - ticket.started_at).total_seconds()
            text += "   ·   " + self.tr("Serving for {served}").format(served=duration(served))
        elif ticket.called_at is not None:
            calling = (now - ticket.called_at).total_seconds()
            text += "   ·   " + self.tr("Called {ago} ago").format(ago=duration(calling))
        self.times.setText(text)


class QueuePanel(QWidget):
    """Who may come to this counter next: transfers to it, then each of its services."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_panel")
        self._layout = QVBoxLayout(self)
        self._boxes: dict[int, tuple[QGroupBox, QListWidget]] = {}
        self._transfers = self._make_box(
            self.tr("Transferred to this counter"), "queue_transfers", TRANSFER_ROWS
        )

    def _make_box(
        self, title: str, name: str, rows: int | None = None
    ) -> tuple[QGroupBox, QListWidget]:
        box = QGroupBox(title)
        box.setFont(big_font(12))
        listing = QListWidget()
        listing.setObjectName(name)
        listing.setFont(big_font(14, bold=False))
        listing.setWordWrap(True)
        if rows is not None:
            listing.setMaximumHeight(rows * listing.fontMetrics().height() * 3 // 2 + 8)
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        inner = QVBoxLayout(box)
        inner.addWidget(listing)
        self._layout.addWidget(box)
        return box, listing

    def set_services(self, services: list[ServiceOut]) -> None:
        for service in services:
            if service.id not in self._boxes:
                self._boxes[service.id] = self._make_box(
                    f"{service.prefix} — {service.name}", f"queue_service_{service.id}"
                )

    def show_waiting(self, waiting: list[TicketOut], now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        transfers = [t for t in waiting if t.target_counter_id is not None]
        box, listing = self._transfers
        box.setVisible(bool(transfers))
        self._fill(listing, transfers, now)
        for service_id, (box, listing) in self._boxes.items():
            tickets = [
                t for t in waiting if t.target_counter_id is None and t.service_id == service_id
            ]
            name = box.title().split(" (")[0]
            box.setTitle(f"{name} ({len(tickets)})")
            self._fill(listing, tickets, now)

    def _fill(self, listing: QListWidget, tickets: list[TicketOut], now: datetime) -> None:
        listing.clear()
        for ticket in tickets[:200]:
            waited = minutes_text((now - ticket.issued_at).total_seconds())
            mark = " ★" if ticket.priority else ""
            note = f"  · {ticket.note}" if ticket.note else ""
            listing.addItem(f"{ticket.number}{mark}    {waited}{note}")

    def listed_numbers(self, service_id: int) -> list[str]:
        listing = self._boxes[service_id][1]
        return [listing.item(i).text().split()[0] for i in range(listing.count())]
