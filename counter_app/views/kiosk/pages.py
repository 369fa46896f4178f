"""The kiosk's screens, one decision each: service, priority, the ticket, booking check-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.availability import Offer, Unavailable
from counter_app.core.estimates import range_minutes
from counter_app.hardware.ticket_layout import local_date_time, wait_minutes
from counter_app.schemas.office import PriorityClassOut
from counter_app.schemas.tickets import TicketOut
from counter_app.views.kiosk.widgets import (
    BUTTON_STYLE,
    Keypad,
    QrWidget,
    font,
    min_target_px,
    touch_button,
)
from counter_app.views.plain import plain_label

SERVICE_COLUMNS = 2
NOTICE_STYLE = "background:#fff3cd;color:#5c4400;padding:12px;border-radius:8px;"
FAULT_STYLE = "background:#ffebee;color:#b71c1c;padding:12px;border-radius:8px;"
OK_STYLE = "background:#e8f5e9;color:#1b5e20;padding:12px;border-radius:8px;"
MESSAGE_PADDING = 12  # the padding of the styles above


def title(text: str, name: str, points: int = 30) -> QLabel:
    label = plain_label(text)
    label.setObjectName(name)
    label.setFont(font(points))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class ServiceButton(QPushButton):
    """A service: its name large, and under it, smaller and wrapped, why it is closed.

    Two labels inside the button (a button's own text neither wraps nor mixes sizes, so a
    long reason was cut at both ends). The whole text is the button's accessible name. A
    closed service is disabled, but a tap on it still says why (``closed_tapped``).
    """

    closed_tapped = Signal()

    def __init__(self, name: str, reason: str, object_name: str, slot: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName(object_name)
        size = min_target_px()
        self.setMinimumSize(2 * size, size)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(BUTTON_STYLE + "QLabel{background:transparent;color:inherit;}")
        self.name = self._label(name, f"{object_name}_name", 22)
        self.reason = self._label(reason, f"{object_name}_reason", 16)
        self.reason.setFont(font(16, bold=False))
        self.reason.setVisible(bool(reason))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addStretch(1)
        layout.addWidget(self.name)
        layout.addWidget(self.reason)
        layout.addStretch(1)
        self.setAccessibleName(name + (f"\n{reason}" if reason else ""))
        self.clicked.connect(lambda _checked=False: slot())
        self.installEventFilter(self)

    def _label(self, text: str, name: str, points: int) -> QLabel:
        label = title(text, name, points)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        return label

    def full_text(self) -> str:
        return self.accessibleName()

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 (Qt's name)
        super().setEnabled(enabled)
        color = "white" if enabled else "#37474f"
        for label in (self.name, self.reason):
            label.setStyleSheet(f"color:{color};background:transparent;")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # A disabled button gets no click; its own filter still sees the touch.
        if (
            watched is self
            and not self.isEnabled()
            and event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
        ):
            self.closed_tapped.emit()
        return False


class StartPage(QWidget):
    """Choose a service; closed ones are shown greyed with the reason, and a tap on one says
    the reason again in the notice."""

    service_chosen = Signal(int)
    check_in_chosen = Signal()
    closed_chosen = Signal(str)  # the reason, for the notice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        self.heading = title(self.tr("Choose a service"), "start_heading")
        self.hint = title(self.tr("Touch the service you need."), "start_hint", 18)
        self.hint.setFont(font(18, bold=False))
        self.grid = QGridLayout()
        self.grid.setSpacing(16)
        self.buttons: dict[int, ServiceButton] = {}
        self.empty = title(self.tr("Loading the services…"), "start_empty", 20)
        self.check_in = touch_button(
            self.tr("I booked online: check in"),
            "check_in",
            self.check_in_chosen.emit,
            points=20,
            primary=False,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.empty)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.check_in)

    def show_offers(self, offers: list[Offer]) -> None:
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.empty.setVisible(not offers)
        for index, offer in enumerate(offers):
            service = offer.service
            reason = self.reason_text(offer.reason) if offer.reason is not None else ""
            button = ServiceButton(
                f"{service.prefix} · {service.name}",
                reason,
                f"service_{service.prefix}",
                partial(self.service_chosen.emit, service.id),
            )
            button.setEnabled(offer.available)
            button.closed_tapped.connect(partial(self.closed_chosen.emit, reason))
            self.grid.addWidget(button, index // SERVICE_COLUMNS, index % SERVICE_COLUMNS)
            self.buttons[service.id] = button

    def reason_text(self, reason: Unavailable) -> str:
        return {
            Unavailable.INACTIVE: self.tr("Not available today"),
            Unavailable.NO_OPEN_COUNTER: self.tr("Closed: no counter is open"),
            Unavailable.QUOTA_USED_UP: self.tr("Today's quota is used up"),
        }[reason]


class PriorityPage(QWidget):
    """Regular queue, or one of the branch's priority classes."""

    chosen = Signal(object)  # priority class id, or None for the regular queue
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("priority_page")
        self.heading = title(self.tr("Do you need priority service?"), "priority_heading")
        self.service = title("", "priority_service", 20)
        self.service.setFont(font(20, bold=False))
        self.options = QVBoxLayout()
        self.options.setSpacing(14)
        self.buttons: dict[int | None, QPushButton] = {}
        self.back_button = touch_button(
            self.tr("Back"), "priority_back", self.back.emit, points=18, primary=False
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.service)
        layout.addLayout(self.options, 1)
        layout.addWidget(self.back_button)

    def set_classes(self, classes: list[PriorityClassOut]) -> None:
        for button in self.buttons.values():
            self.options.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        regular = touch_button(
            self.tr("No, the regular queue"), "priority_none", lambda: self.chosen.emit(None)
        )
        self.options.addWidget(regular)
        self.buttons[None] = regular
        for klass in classes:
            button = touch_button(
                klass.name,
                f"priority_{klass.code}",
                partial(self.chosen.emit, klass.id),
                primary=False,
            )
            self.options.addWidget(button)
            self.buttons[klass.id] = button

    def set_busy(self, busy: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not busy)


class TicketPage(QWidget):
    """The ticket on screen: it is valid whatever the printer does."""

    done = Signal()
    print_again = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_page")
        self.heading = title(self.tr("Your queue number"), "ticket_heading", 26)
        self.number = title("", "ticket_number", 96)
        self.service = title("", "ticket_service", 24)
        self.details = title("", "ticket_details", 18)
        self.details.setFont(font(18, bold=False))
        self.qr = QrWidget()
        self.qr_hint = title(
            self.tr("Scan with your phone to follow your place in the queue."), "qr_hint", 14
        )
        self.qr_hint.setFont(font(14, bold=False))
        self.print_status = title("", "print_status", 18)
        self.again_button = touch_button(
            self.tr("Print again"), "print_again", self.print_again.emit, points=18, primary=False
        )
        self.again_button.setVisible(False)
        self.done_button = touch_button(self.tr("Done"), "ticket_done", self.done.emit)
        left = QVBoxLayout()
        for widget in (self.heading, self.number, self.service, self.details):
            left.addWidget(widget)
        right = QVBoxLayout()
        right.addWidget(self.qr, 1)
        right.addWidget(self.qr_hint)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.print_status)
        layout.addLayout(buttons)
        self.ticket: TicketOut | None = None

    def show_ticket(
        self, ticket: TicketOut, timezone: str, status_url: str, priority: str = ""
    ) -> None:
        self.ticket = ticket
        self.number.setText(ticket.number)
        self.service.setText(ticket.service_name + (f" · {priority}" if priority else ""))
        date, time = local_date_time(ticket.issued_at, timezone)
        lines = [f"{date}, {time}"]
        if ticket.ahead is not None:
            lines.append(self.tr("People ahead of you: {n}").format(n=ticket.ahead))
        if ticket.wait_low_seconds is not None and ticket.wait_high_seconds is not None:
            low, high = range_minutes(ticket.wait_low_seconds, ticket.wait_high_seconds)
            lines.append(
                self.tr("Estimated wait: about {low}-{high} min").format(low=low, high=high)
            )
        elif ticket.wait_seconds is not None:
            lines.append(
                self.tr("Estimated wait: about {minutes} min").format(
                    minutes=wait_minutes(ticket.wait_seconds)
                )
            )
        self.details.setText("\n".join(lines))
        self.qr.set_content(status_url)
        self.set_print_status("", "")

    def set_print_status(self, text: str, style: str, *, can_retry: bool = False) -> None:
        self.print_status.setText(text)
        self.print_status.setStyleSheet(style)
        self.print_status.setVisible(bool(text))
        self.again_button.setVisible(can_retry)


class CheckInPage(QWidget):
    """Scan the booking's QR code, or type its code on the keypad."""

    submitted = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("check_in_page")
        self.heading = title(self.tr("Check in your online booking"), "check_in_heading")
        self.hint = title(
            self.tr("Hold the booking's QR code under the scanner, or type the booking code."),
            "check_in_hint",
            18,
        )
        self.hint.setFont(font(18, bold=False))
        self.code = QLineEdit()
        self.code.setObjectName("booking_code")
        self.code.setFont(font(32))
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setMaxLength(200)  # a scanned QR may hold a whole address
        self.code.setPlaceholderText(self.tr("Booking code"))
        self.code.returnPressed.connect(self.submit)
        self.message = title("", "check_in_message", 18)
        # Its room is kept while empty, so an error appearing moves no key under a finger.
        lines = QFontMetrics(self.message.font()).lineSpacing()
        self.message.setFixedHeight(2 * lines + 2 * MESSAGE_PADDING + 4)
        self.keypad = Keypad(letters=True)
        self.keypad.typed.connect(self.code.insert)
        self.keypad.erased.connect(self.code.backspace)
        self.keypad.cleared.connect(self.code.clear)
        self.submit_button = touch_button(self.tr("Check in"), "check_in_submit", self.submit)
        self.back_button = touch_button(
            self.tr("Back"), "check_in_back", self.back.emit, points=18, primary=False
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button, 1)
        buttons.addWidget(self.submit_button, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.code)
        layout.addWidget(self.message)
        layout.addWidget(self.keypad, 1)
        layout.addLayout(buttons)

    def reset(self) -> None:
        self.code.clear()
        self.show_message("")

    def show_message(self, text: str, style: str = FAULT_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style if text else "")

    def submit(self) -> None:
        self.submitted.emit(self.code.text())

    def set_busy(self, busy: bool) -> None:
        for widget in (self.submit_button, self.keypad, self.code):
            widget.setEnabled(not busy)
