"""The reports window's staffing tab: counters to open per hour per service so the wait stays
within each service's target (the server's ``staffing_advice``, Erlang C), beside the counters
that were open and the wait they give. Fetched off the Qt thread when asked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.api import ApiClient
from counter_app.schemas.staffing import StaffingAdvice
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.tasks import TaskRunner


def minutes(seconds: float | None, overload: str) -> str:
    """A wait in minutes to one decimal, or ``overload`` when the queue would never clear."""
    return overload if seconds is None else f"{seconds / 60:.1f}"


class StaffingPanel(QWidget):
    advice_shown = Signal()
    advice_failed = Signal(str)

    def __init__(
        self, client: ApiClient, branch_id: int, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffing_panel")
        self.client = client
        self.branch_id = branch_id
        self.runner = runner
        self.advice: StaffingAdvice | None = None
        self._latest = 0
        self.weekday = QComboBox()
        self.weekday.setObjectName("staffing_weekday")
        for number, name in enumerate(
            (
                self.tr("Monday"),
                self.tr("Tuesday"),
                self.tr("Wednesday"),
                self.tr("Thursday"),
                self.tr("Friday"),
                self.tr("Saturday"),
                self.tr("Sunday"),
            )
        ):
            self.weekday.addItem(name, number)
        self.weeks = QSpinBox()
        self.weeks.setObjectName("staffing_weeks")
        self.weeks.setRange(1, 26)
        self.weeks.setValue(4)
        self.show_button = QPushButton(self.tr("Advise"))
        self.show_button.setObjectName("show_staffing")
        self.show_button.clicked.connect(lambda _checked=False: self.refresh())
        self.status = plain_label(
            self.tr("Choose a weekday and how many past weeks to learn from, then Advise.")
        )
        self.status.setObjectName("staffing_status")
        self.status.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setObjectName("staffing_table")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        controls = QHBoxLayout()
        controls.addWidget(plain_label(self.tr("Weekday")))
        controls.addWidget(self.weekday)
        controls.addWidget(plain_label(self.tr("weeks back")))
        controls.addWidget(self.weeks)
        controls.addWidget(self.show_button)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self._latest += 1
        number = self._latest
        weekday, weeks = int(self.weekday.currentData()), self.weeks.value()
        self.status.setText(self.tr("Working out the advice…"))
        self.runner.run(
            lambda: self.client.staffing_advice(self.branch_id, weekday, weeks),
            self._if_latest(number, self.show_advice),
            self._if_latest(number, self._failed),
        )

    def _if_latest(self, number: int, then: Callable[[object], None]) -> Callable[..., None]:
        def call(value: object) -> None:
            if number == self._latest:
                then(value)

        return call

    def _failed(self, exc: object) -> None:
        message = describe(exc) if isinstance(exc, Exception) else str(exc)
        self.status.setText(message)
        self.advice_failed.emit(message)

    def show_advice(self, advice: object) -> None:
        assert isinstance(advice, StaffingAdvice)
        self.advice = advice
        overload = self.tr("cannot keep up")
        headers = [
            self.tr("Service"),
            self.tr("Hour"),
            self.tr("Arrivals per hour"),
            self.tr("Mean service (min)"),
            self.tr("Target wait (min)"),
            self.tr("Counters advised"),
            self.tr("Wait advised (min)"),
            self.tr("Counters open"),
            self.tr("Wait now (min)"),
        ]
        rows = [
            [
                f"{service.prefix} — {service.name}",
                f"{hour.hour:02d}:00",
                f"{hour.arrivals_per_hour:.1f}",
                f"{hour.mean_service_seconds / 60:.1f}",
                str(service.target_wait_minutes),
                str(hour.recommended_counters),
                minutes(hour.expected_wait_recommended_seconds, overload),
                f"{hour.current_counters:.1f}",
                minutes(hour.expected_wait_current_seconds, overload),
            ]
            for service in advice.services
            for hour in service.hours
        ]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(headers)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.status.setText(
            self.tr("From {first} to {last}: {count} hours with demand or open counters.").format(
                first=advice.first_day.isoformat(),
                last=advice.last_day.isoformat(),
                count=len(rows),
            )
        )
        self.advice_shown.emit()
