"""The parts of the TV picture, each drawn from the branch board."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTime
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
)

from counter_app.core.vocabulary import CounterState
from counter_app.schemas.office import CounterOut, ServiceOut
from counter_app.schemas.tickets import TicketOut
from counter_app.views.display import palette
from counter_app.views.display.calls import missed
from counter_app.views.display.scaling import Scaler
from counter_app.views.plain import plain_label

CENTER = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
PANEL_STYLE = f"QFrame#%s {{ background:{palette.PANEL}; border-radius:12px; }}"
HIGHLIGHT_STYLE = (
    f"QFrame#call_panel {{ background:{palette.HIGHLIGHT}; border-radius:12px; }}"
    f" QFrame#call_panel QLabel {{ color:{palette.TEXT_ON_HIGHLIGHT}; }}"
)
CALL_STYLE = (
    f"QFrame#call_panel {{ background:{palette.PANEL}; border-radius:12px; }}"
    f" QFrame#call_panel QLabel {{ color:{palette.TEXT}; }}"
)
TILE_STYLE = f" QFrame#counter_tile {{ background:{palette.TILE}; border-radius:8px; }}"
BREAK_STYLE = f"color:{palette.ON_BREAK};"
MISSED_STYLE = f"color:{palette.NOTICE};"
RECENT_ROWS = 3


def counter_label(number: int | None, name: str | None) -> str:
    """The counter as the hall knows it: its own name, or "Loket 3"."""
    if name and name.strip():
        return name.strip()
    return QCoreApplication.translate("Display", "Counter {n}").format(
        n=number if number is not None else "?"
    )


def panel(name: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    frame.setStyleSheet(PANEL_STYLE % name)
    return frame


class Header(QFrame):
    """Logo and office name on the left; date and clock (server time, branch zone) right."""

    def __init__(self, scaler: Scaler, logo: Path | None) -> None:
        super().__init__()
        self.setObjectName("header")
        self.logo = plain_label()
        self.logo.setObjectName("logo")
        self._logo = QPixmap(str(logo)) if logo else QPixmap()
        self.logo.setVisible(not self._logo.isNull())
        self.office = scaler.label("", "office_name", 72, bold=True)
        self.date = scaler.label("", "date", 72)
        self.date.setAlignment(RIGHT)
        self.clock = scaler.label("", "clock", 72, bold=True)
        self.clock.setAlignment(RIGHT)
        self.scaler = scaler
        # Big letters must never make the window wider than the TV: a long name is cut.
        for label in (self.office, self.date, self.clock):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.addWidget(self.logo)
        layout.addWidget(self.office, 1)
        times = QVBoxLayout()
        times.addWidget(self.clock)
        times.addWidget(self.date)
        layout.addLayout(times, 1)

    def rescale(self) -> None:
        if not self._logo.isNull():
            side = self.scaler.pixels(110)
            self.logo.setPixmap(
                self._logo.scaled(
                    side,
                    side,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def show_office(self, name: str) -> None:
        self.office.setText(name)

    def show_time(self, moment: datetime, zone: str) -> None:
        local = moment.astimezone(ZoneInfo(zone))
        locale = QLocale()
        date = QDate(local.year, local.month, local.day)
        time = QTime(local.hour, local.minute, local.second)
        self.date.setText(locale.toString(date, "dddd, d MMMM yyyy"))
        self.clock.setText(locale.toString(time, "HH.mm.ss"))


class CallPanel(QFrame):
    """The latest call, large: the number and the counter to go to."""

    def __init__(self, scaler: Scaler) -> None:
        super().__init__()
        self.setObjectName("call_panel")
        self.setStyleSheet(CALL_STYLE)
        self.caption = scaler.label(self.tr("Now calling"), "call_caption", 72)
        self.number = scaler.label("—", "call_number", 170, bold=True)
        self.counter = scaler.label("", "call_counter", 96, bold=True)
        self.service = scaler.label("", "call_service", 72)
        layout = QVBoxLayout(self)
        for label in (self.caption, self.number, self.counter, self.service):
            label.setAlignment(CENTER)
            layout.addWidget(label)
        self.highlighted = False

    def show_call(self, ticket: TicketOut | None) -> None:
        if ticket is None:
            self.number.setText("—")
            self.counter.setText("")
            self.service.setText("")
            return
        self.number.setText(ticket.number)
        self.counter.setText(counter_label(ticket.counter_number, ticket.counter_name))
        self.service.setText(ticket.service_name)

    def set_highlight(self, on: bool) -> None:
        self.highlighted = on
        self.setStyleSheet(HIGHLIGHT_STYLE if on else CALL_STYLE)


class CountersPanel(QFrame):
    """Every open counter as a tile (its name, the number it serves); one on break says so."""

    def __init__(self, scaler: Scaler) -> None:
        super().__init__()
        self.setObjectName("counters_panel")
        self.setStyleSheet(PANEL_STYLE % "counters_panel" + TILE_STYLE)
        self.scaler = scaler
        self.grid = QGridLayout(self)
        self.tiles: dict[int, QFrame] = {}
        self.rows: dict[int, tuple[QLabel, QLabel]] = {}

    def show_counters(self, counters: Iterable[CounterOut], current: dict[int, TicketOut]) -> None:
        shown = sorted(
            (c for c in counters if c.state is not CounterState.CLOSED), key=lambda c: c.number
        )
        if [c.id for c in shown] != list(self.rows):
            self._rebuild(shown)
        for counter in shown:
            name, number = self.rows[counter.id]
            name.setText(counter_label(counter.number, counter.name))
            if counter.state is CounterState.BREAK:
                number.setText(self.tr("On break"))
                number.setStyleSheet(BREAK_STYLE)
                continue
            ticket = current.get(counter.id)
            number.setText(ticket.number if ticket else "—")
            number.setStyleSheet("")

    def _rebuild(self, counters: list[CounterOut]) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles, self.rows = {}, {}
        columns = tile_columns(len(counters))
        for index, counter in enumerate(counters):
            tile = QFrame()
            tile.setObjectName("counter_tile")
            name = self.scaler.label("", f"counter_name_{counter.number}", 72)
            number = self.scaler.label("", f"counter_number_{counter.number}", 80, bold=True)
            layout = QVBoxLayout(tile)
            for label in (name, number):
                label.setAlignment(CENTER)
                layout.addWidget(label)
            row, column = divmod(index, columns)
            self.grid.addWidget(tile, row, column)
            self.tiles[counter.id] = tile
            self.rows[counter.id] = (name, number)

    def number_text(self, counter_id: int) -> str | None:
        row = self.rows.get(counter_id)
        return row[1].text() if row else None


def tile_columns(count: int) -> int:
    """Four tiles a row for a small office; more columns, never more than three rows, beyond."""
    if count <= 4:
        return max(1, count)
    return max(4, -(-count // 3))


class RecentCalls(QFrame):
    """The last calls before the current one, one line per ticket: who missed theirs can
    still see it, and a ticket skipped as not present is marked "Missed"."""

    def __init__(self, scaler: Scaler) -> None:
        super().__init__()
        self.setObjectName("recent_panel")
        self.setStyleSheet(PANEL_STYLE % "recent_panel")
        layout = QGridLayout(self)
        title = scaler.label(self.tr("Recent calls"), "recent_title", 72, bold=True)
        layout.addWidget(title, 0, 0, 1, 2)
        self.rows: list[tuple[QLabel, QLabel]] = []
        for index in range(RECENT_ROWS):
            number = scaler.label("", f"recent_number_{index}", 72, bold=True)
            counter = scaler.label("", f"recent_counter_{index}", 72)
            counter.setAlignment(RIGHT)
            layout.addWidget(number, index + 1, 0)
            layout.addWidget(counter, index + 1, 1)
            self.rows.append((number, counter))

    def show_calls(self, calls: Iterable[TicketOut]) -> None:
        shown = list(calls)[:RECENT_ROWS]
        for index, (number, counter) in enumerate(self.rows):
            if index < len(shown):
                ticket = shown[index]
                number.setText(ticket.number)
                if missed(ticket):
                    counter.setText(self.tr("Missed"))
                    counter.setStyleSheet(MISSED_STYLE)
                else:
                    counter.setText(counter_label(ticket.counter_number, ticket.counter_name))
                    counter.setStyleSheet("")
            else:
                number.setText("")
                counter.setText("")

    def numbers(self) -> list[str]:
        return [number.text() for number, _ in self.rows if number.text()]

    def lines(self) -> list[tuple[str, str]]:
        return [(n.text(), c.text()) for n, c in self.rows if n.text()]


class WaitingPanel(QFrame):
    """How many wait for each service."""

    def __init__(self, scaler: Scaler) -> None:
        super().__init__()
        self.setObjectName("waiting_panel")
        self.setStyleSheet(PANEL_STYLE % "waiting_panel")
        self.scaler = scaler
        self.grid = QGridLayout(self)
        self.title = scaler.label(self.tr("Waiting"), "waiting_title", 72, bold=True)
        self.grid.addWidget(self.title, 0, 0, 1, 2)
        self.rows: dict[int, tuple[QLabel, QLabel]] = {}

    def show_waiting(self, services: Iterable[ServiceOut], counts: dict[int, int]) -> None:
        shown = sorted((s for s in services if s.active), key=lambda s: (s.position, s.prefix))
        if [s.id for s in shown] != list(self.rows):
            for name, count in self.rows.values():
                name.deleteLater()
                count.deleteLater()
            self.rows = {}
            for index, service in enumerate(shown):
                name = self.scaler.label("", f"waiting_name_{service.prefix}", 72)
                count = self.scaler.label("", f"waiting_count_{service.prefix}", 72, bold=True)
                count.setAlignment(RIGHT)
                self.grid.addWidget(name, index + 1, 0)
                self.grid.addWidget(count, index + 1, 1)
                self.rows[service.id] = (name, count)
        for service in shown:
            name, count = self.rows[service.id]
            name.setText(f"{service.prefix} · {service.name}")
            count.setText(str(counts.get(service.id, 0)))
