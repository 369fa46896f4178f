"""The kiosk window: fullscreen, one decision per screen, back to the start when left alone.

A booking QR scanner is a keyboard that types the code and presses Enter: keys typed on any
screen (the buttons never take the focus) are collected and Enter checks the booking in.
Leaving fullscreen or closing the kiosk needs the admin PIN. The ticket is always shown on
screen, so a printer fault never leaves a citizen without a number; the fault is said on
screen, logged, and reported to the server for the supervisors.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.errors import ApiError, ClientError
from counter_app.core.error_codes import ErrorCode
from counter_app.core.vocabulary import FaultKind
from counter_app.hardware.printer import FaultReason, PrintResult
from counter_app.netaddr import is_loopback_url
from counter_app.schemas.tickets import TicketOut
from counter_app.views.kiosk.admin import AdminDialog, KioskSettingsDialog, PinDialog
from counter_app.views.kiosk.booking import booking_code
from counter_app.views.kiosk.controller import KioskController
from counter_app.views.kiosk.pages import (
    FAULT_STYLE,
    NOTICE_STYLE,
    OK_STYLE,
    CheckInPage,
    PriorityPage,
    StartPage,
    TicketPage,
)
from counter_app.views.kiosk.printing import KioskPrinter, status_url, ticket_print
from counter_app.views.kiosk.settings import KioskSettings
from counter_app.views.kiosk.widgets import font, min_target_px, touch_button
from counter_app.views.messages import describe
from counter_app.views.overlay import OverlayBanner
from counter_app.views.plain import plain_label
from counter_app.views.simulation_band import mode_band, show_mode

log = logging.getLogger(__name__)
_warned_urls: set[str] = set()


def _warn_once(url: str) -> None:
    """Log the unreachable QR address once per process, not on every window or ticket."""
    if url not in _warned_urls:
        _warned_urls.add(url)
        log.warning(
            "the ticket QR codes point at %r, which phones cannot reach: set the kiosk's "
            "'Address for the QR code' to the server's LAN address",
            url,
        )


BANNER_STYLE = "background:#b71c1c;color:white;padding:10px;font-weight:bold;font-size:24px;"
NOTICE_MS = 8000
SCAN_GAP_SECONDS = 1.0  # a scanner types fast; a longer pause starts a new code
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
    }
)


class KioskWindow(QMainWindow):
    def __init__(
        self,
        controller: KioskController,
        printer: KioskPrinter,
        settings: KioskSettings,
        *,
        fullscreen: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_window")
        self.setWindowTitle(self.tr("Kiosk — counter_app"))
        self.controller = controller
        self.printer = printer
        self.settings = settings
        self.kiosk_mode = fullscreen  # fullscreen and locked: leaving needs the PIN
        self._may_close = False
        self._scan = ""
        self._scan_at = 0.0
        self._print_job: int | None = None
        self._reported: str | None = None  # the last fault sent to the server
        self._choice_service: int | None = None
        self.dialog: QDialog | None = None
        self._build()
        self._connect()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.go_start)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_MS)
        self._notice_timer.timeout.connect(lambda: self.notice.setVisible(False))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.refresh()
        if self.public_url_problem():
            _warn_once(self.settings.public_base_url)

    def _build(self) -> None:
        self.office = plain_label("")
        self.office.setObjectName("office_name")
        self.office.setFont(font(20))
        self.admin_button = touch_button(
            "⚙", "admin", self.open_admin, points=14, primary=False, min_px=min_target_px()
        )
        self.admin_button.setMaximumWidth(min_target_px() * 2)

        self.start_page = StartPage()
        self.priority_page = PriorityPage()
        self.ticket_page = TicketPage()
        self.check_in_page = CheckInPage()
        self.pages = QStackedWidget()
        for page in (self.start_page, self.priority_page, self.ticket_page, self.check_in_page):
            self.pages.addWidget(page)
        self.priority_page.set_classes(self.controller.priority_classes)

        # In the header row, not above the pages: showing it moves no button.
        self.mode_band = mode_band()
        header = QHBoxLayout()
        header.addWidget(self.office, 1)
        header.addWidget(self.mode_band, 1)
        header.addWidget(self.admin_button)
        root = QVBoxLayout()
        root.addLayout(header)
        root.addWidget(self.pages, 1)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)
        # Over the top of the screens, not in the layout: showing them moves no button.
        self.banner = OverlayBanner(
            self.pages, self.tr("No connection to the server — please wait…")
        )
        self.banner.setObjectName("offline_banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.notice = OverlayBanner(self.pages)
        self.notice.setObjectName("kiosk_notice")
        self.notice.setFont(font(18))
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.resize(1280, 800)

    def _connect(self) -> None:
        controller = self.controller
        self.start_page.service_chosen.connect(self.choose_service)
        self.start_page.check_in_chosen.connect(self.open_check_in)
        self.start_page.closed_chosen.connect(self.explain_closed)
        self.priority_page.chosen.connect(self.choose_priority)
        self.priority_page.back.connect(self.go_start)
        self.ticket_page.done.connect(self.go_start)
        self.ticket_page.print_again.connect(self.print_again)
        self.check_in_page.submitted.connect(self.check_in)
        self.check_in_page.back.connect(self.go_start)
        controller.board_changed.connect(self.refresh)
        controller.online_changed.connect(lambda online: self.banner.setVisible(not online))
        controller.busy_changed.connect(self._busy)
        controller.ticket_ready.connect(self.show_ticket)
        controller.failed.connect(self._request_failed)
        self.printer.finished.connect(self._printed, Qt.ConnectionType.QueuedConnection)

    # --- drawing ---

    def refresh(self) -> None:
        board = self.controller.board
        self.office.setText(board.branch.name if board else "")
        if board is not None:
            # Kiosk tickets are training ones only when the whole branch trains.
            show_mode(self.mode_band, simulation=board.simulation, training=board.branch.training)
        self.start_page.show_offers(self.controller.offers())

    def show_notice(self, text: str, style: str = NOTICE_STYLE) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(style)
        self.notice.setVisible(True)
        self._notice_timer.start()

    def _busy(self, busy: bool) -> None:
        self.priority_page.set_busy(busy)
        self.check_in_page.set_busy(busy)
        if busy:
            self.show_notice(self.tr("Please wait…"))
        else:
            self.notice.setVisible(False)

    # --- the screens ---

    def go_start(self) -> None:
        self.idle_timer.stop()
        self._choice_service = None
        self.controller.new_choice()
        self.check_in_page.reset()
        self.notice.setVisible(False)
        self.pages.setCurrentWidget(self.start_page)

    def _leave_start(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        self.idle_timer.start(self.settings.idle_seconds * 1000)

    def choose_service(self, service_id: int) -> None:
        if self.controller.busy:
            return
        self._choice_service = service_id
        if not self.controller.priority_classes:
            self.controller.issue(service_id, None)
            return
        board = self.controller.board
        service = board.services.get(service_id) if board else None
        self.priority_page.service.setText(service.name if service else "")
        self._leave_start(self.priority_page)

    def explain_closed(self, reason: str) -> None:
        """A closed service touched: say why, and what to do, instead of nothing at all."""
        self.show_notice(
            self.tr("{reason}. Please choose another service or ask the staff.").format(
                reason=reason
            )
        )

    def choose_priority(self, priority_class_id: int | None) -> None:
        if self._choice_service is not None:
            self.controller.issue(self._choice_service, priority_class_id)

    def open_check_in(self) -> None:
        self.check_in_page.reset()
        self._leave_start(self.check_in_page)
        self.check_in_page.code.setFocus()

    def check_in(self, text: str) -> None:
        code = booking_code(text)
        if self.pages.currentWidget() is not self.check_in_page:
            self.open_check_in()
        if not code:
            self.check_in_page.show_message(self.tr("Type the booking code first."))
            return
        self.check_in_page.code.setText(code)
        self.check_in_page.show_message("")
        self.controller.check_in(code)

    def _request_failed(self, exc: Exception) -> None:
        if self.pages.currentWidget() is self.check_in_page:
            self.check_in_page.show_message(self.check_in_error(exc))
            return
        self.show_notice(describe(exc), FAULT_STYLE)
        if isinstance(exc, ApiError) and exc.status == 409:
            self.go_start()  # the service closed or ran out meanwhile: show the fresh list
            self.show_notice(describe(exc), FAULT_STYLE)

    def check_in_error(self, exc: Exception) -> str:
        if isinstance(exc, ApiError) and exc.status == 404 and exc.code == ErrorCode.NOT_FOUND:
            return self.tr(
                "Checking in online bookings is not available at this office. "
                "Please take a regular number."
            )
        if isinstance(exc, ClientError) and not isinstance(exc, ApiError):
            return self.tr("No connection to the server. Please try again in a moment.")
        return describe(exc)

    # --- the ticket ---

    def show_ticket(self, ticket: TicketOut) -> None:
        board = self.controller.board
        classes = {c.id: c.name for c in self.controller.priority_classes}
        zone = board.branch.timezone if board else "Asia/Jakarta"
        url = status_url(self.settings.public_base_url, ticket)
        self.ticket_page.show_ticket(
            ticket, zone, url, classes.get(ticket.priority_class_id or 0, "")
        )
        self._leave_start(self.ticket_page)
        self.notice.setVisible(False)
        self._print(ticket)

    def _print(self, ticket: TicketOut) -> None:
        printable = ticket_print(
            ticket,
            self.controller.board,
            self.settings.public_base_url,
            self.controller.priority_classes,
        )
        self.ticket_page.set_print_status(self.tr("Printing your ticket…"), NOTICE_STYLE)
        self._print_job = self.printer.print_ticket(printable)

    def print_again(self) -> None:
        ticket = self.ticket_page.ticket
        if ticket is not None:
            self.idle_timer.start(self.settings.idle_seconds * 1000)
            self._print(ticket)

    def _printed(self, result: PrintResult) -> None:
        if result.printed and result.paper_low:
            self._report(result.message)
        elif result.printed:
            self._reported = None
        elif result.reason is not FaultReason.NOT_CONFIGURED:
            self._report(result.message)
        if result.job != self._print_job:
            return  # a test page, or a ticket already gone from the screen
        page = self.ticket_page
        if result.printed:
            page.set_print_status(self.tr("Please take your printed ticket."), OK_STYLE)
        elif result.reason is FaultReason.NOT_CONFIGURED:
            page.set_print_status(
                self.tr("This kiosk prints no tickets: please note your number."), NOTICE_STYLE
            )
        else:
            page.set_print_status(
                self.tr(
                    "The printer has a problem ({what}). Your number is valid: please note "
                    "it or take a photo of this screen."
                ).format(what=self.fault_text(result.reason)),
                FAULT_STYLE,
                can_retry=True,
            )

    def fault_text(self, reason: FaultReason | None) -> str:
        return {
            FaultReason.NO_PAPER: self.tr("out of paper"),
            FaultReason.OFFLINE: self.tr("offline"),
            FaultReason.UNREACHABLE: self.tr("not connected"),
            FaultReason.NO_ANSWER: self.tr("not answering"),
            FaultReason.WRITE_FAILED: self.tr("printing stopped halfway"),
        }.get(reason or FaultReason.NO_ANSWER, self.tr("not answering"))

    def _report(self, message: str) -> None:
        if message and message != self._reported:
            self._reported = message
            self.controller.report_fault(FaultKind.PRINTER, message)

    # --- scanner, idle time ---

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in ACTIVITY_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start(self.settings.idle_seconds * 1000)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Keys that reach the window (no field has the focus) come from the scanner."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code, self._scan = self._scan, ""
            if code and not self.controller.busy:
                self.check_in(code)
            return
        text = event.text()
        if text and text.isprintable():
            now = time.monotonic()
            if now - self._scan_at > SCAN_GAP_SECONDS:
                self._scan = ""
            self._scan = (self._scan + text)[-200:]
            self._scan_at = now
            return
        super().keyPressEvent(event)

    # --- admin: PIN, fullscreen, closing ---

    def public_url_problem(self) -> str:
        """Why the ticket QR codes cannot work, for the staff; empty when they can."""
        url = self.settings.public_base_url
        if not is_loopback_url(url):
            return ""
        return self.tr(
            "The ticket QR codes point at {url}, which only this PC can reach: citizens' "
            "phones cannot open it. Set 'Address for the QR code' in the settings to the "
            "server's address on the office network (e.g. http://192.168.1.10:8750)."
        ).format(url=url or "—")

    def open_admin(self) -> None:
        if self.settings.has_pin:
            pin = PinDialog(self.settings, self)
            self.dialog = pin
            if pin.exec() != QDialog.DialogCode.Accepted:
                return
        elif self.kiosk_mode:
            return  # a locked kiosk without a PIN cannot be unlocked here
        admin = AdminDialog(self.kiosk_mode, self, self.public_url_problem())
        self.dialog = admin
        choice = admin.exec()
        if choice == AdminDialog.SETTINGS:
            dialog = KioskSettingsDialog(self.settings, self.printer, self)
            self.dialog = dialog
            dialog.exec()
        elif choice == AdminDialog.LEAVE_FULLSCREEN:
            self.kiosk_mode = False
            self.showNormal()
        elif choice == AdminDialog.CLOSE:
            self.shut_down()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.kiosk_mode and not self._may_close:
            event.ignore()  # Alt+F4 and friends: only the admin closes a kiosk
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.controller.stop()
        self.printer.stop()
        event.accept()

    def shut_down(self) -> None:
        """Close for good (admin, application exit, tests)."""
        self._may_close = True
        self.close()
