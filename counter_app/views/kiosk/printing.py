"""The printer as Qt signals, and the server's ticket turned into the printed one.

The print worker (``hardware.printer``) runs on its own thread and reports each job through a
callback on that thread; :class:`KioskPrinter` re-emits it as a signal, which Qt delivers on
the window's thread.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QObject, Signal

from counter_app.client.board import BranchBoard
from counter_app.hardware.printer import PrinterSettings, PrinterWorker, PrintResult
from counter_app.hardware.ticket_layout import (
    TicketLabels,
    TicketPrint,
    check_page_commands,
    ticket_commands,
)
from counter_app.schemas.office import PriorityClassOut
from counter_app.schemas.tickets import TicketOut

translate = QCoreApplication.translate  # by this name, so that pyside6-lupdate finds the texts


def ticket_labels() -> TicketLabels:
    """The ticket's fixed words in the kiosk's language (printed as ASCII)."""
    return TicketLabels(
        heading=translate("Ticket", "QUEUE NUMBER"),
        priority=translate("Ticket", "Priority: {name}"),
        date=translate("Ticket", "Date: {date}"),
        time=translate("Ticket", "Time: {time}"),
        ahead=translate("Ticket", "People ahead of you: {n}"),
        wait=translate("Ticket", "Estimated wait: {minutes} min"),
        wait_range=translate("Ticket", "Estimated wait: {low}-{high} min"),
        no_wait=translate("Ticket", "Estimated wait: -"),
        scan=translate("Ticket", "Scan to follow your place in the queue:"),
        footer=translate("Ticket", "Please wait until your number is called. Thank you."),
    )


def status_url(base_url: str, ticket: TicketOut) -> str:
    return f"{base_url.rstrip('/')}/t/{ticket.code}"


def ticket_print(
    ticket: TicketOut,
    board: BranchBoard | None,
    base_url: str,
    classes: list[PriorityClassOut],
) -> TicketPrint:
    branch = board.branch if board else None
    names = {c.id: c.name for c in classes}
    return TicketPrint(
        office=branch.name if branch else "",
        address=branch.address if branch else "",
        service=ticket.service_name,
        number=ticket.number,
        issued_at=ticket.issued_at,
        timezone=branch.timezone if branch else "Asia/Jakarta",
        status_url=status_url(base_url, ticket),
        priority_class=names.get(ticket.priority_class_id or 0, ""),
        ahead=ticket.ahead,
        wait_seconds=ticket.wait_seconds,
        wait_low_seconds=ticket.wait_low_seconds,
        wait_high_seconds=ticket.wait_high_seconds,
    )


class KioskPrinter(QObject):
    finished = Signal(object)  # PrintResult, on the Qt thread

    def __init__(self, settings: PrinterSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = PrinterWorker(settings, self._from_worker).start()

    @property
    def settings(self) -> PrinterSettings:
        return self.worker.settings

    def configure(self, settings: PrinterSettings) -> None:
        self.worker.configure(settings)

    def print_ticket(self, ticket: TicketPrint) -> int:
        commands = ticket_commands(ticket, ticket_labels(), self.settings.columns)
        return self.worker.submit(commands, f"ticket {ticket.number}")

    def print_check_page(self, lines: list[str], qr_content: str) -> int:
        commands = check_page_commands(lines, qr_content, self.settings.columns)
        return self.worker.submit(commands, "test page")

    def stop(self) -> None:
        self.worker.stop()

    def _from_worker(self, result: PrintResult) -> None:
        with contextlib.suppress(RuntimeError):  # the kiosk window is already gone
            self.finished.emit(result)  # queued across threads by Qt
