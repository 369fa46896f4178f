"""Serial LED displays above the counters, fed from the branch board.

Each display shows the number its counter is calling or serving, and goes blank when there is
none. The drivers never block (see ``hardware.led``); their faults come back here from their
threads as a Qt signal, for the window to report, and they keep retrying by themselves.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from counter_app.client.board import BranchBoard
from counter_app.core.vocabulary import CounterState
from counter_app.hardware.led import ErrorCallback, LedDisplay, LedDriver

log = logging.getLogger(__name__)


class LedOutputs(QObject):
    fault = Signal(str)  # a message naming the display, for the window

    def __init__(self, displays: dict[int, LedDisplay], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.drivers = {
            number: LedDriver(display, on_error=self._reporter(number, display))
            for number, display in displays.items()
        }
        self.shown: dict[int, str] = {}

    def _reporter(self, number: int, display: LedDisplay) -> ErrorCallback:
        def report(message: str) -> None:
            self.fault.emit(f"LED {number} ({display.port}): {message}")

        return report

    def start(self) -> None:
        for driver in self.drivers.values():
            driver.start()

    def stop(self) -> None:
        for driver in self.drivers.values():
            driver.stop()

    def update(self, board: BranchBoard) -> None:
        """Send each counter's current number, only where it changed."""
        if not self.drivers:
            return
        by_number = {c.number: c for c in board.counters.values()}
        for number, driver in self.drivers.items():
            counter = by_number.get(number)
            text = ""
            if counter is not None and counter.state is CounterState.OPEN:
                ticket = board.current.get(counter.id)
                text = ticket.number if ticket else ""
            if self.shown.get(number) != text:
                self.shown[number] = text
                driver.show(text)
