"""The reports window: choose a period, read its figures, save them as CSV, XLSX or PDF.

For a supervisor or an admin of the branch (the server checks; anyone else gets a plain
message here). Every call to the server runs off the Qt thread (``TaskRunner``); a newer
request makes the answer of an older one irrelevant, so a quick series of clicks shows the
last period chosen. The CSV and XLSX files are the server's own (``report_export``), so
they agree with the API to the digit; the PDF is drawn here from the tables on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QLocale, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.api import ApiClient
from counter_app.client.errors import ApiError
from counter_app.core.error_codes import ErrorCode
from counter_app.schemas.reports import ReportSummary
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.reports.chart import arrivals_chart
from counter_app.views.reports.period import QuickPeriod, clamp_period, period_for
from counter_app.views.reports.printing import write_pdf
from counter_app.views.reports.staffing import StaffingPanel
from counter_app.views.reports.tables import (
    TextTable,
    counters_table,
    ikm_headline,
    ikm_table,
    officers_table,
    period_text,
    services_table,
)
from counter_app.views.tasks import TaskRunner

ERROR_STYLE = "color:#b71c1c;font-weight:bold;"
STATUS_STYLE = "color:#37474f;"
CSV_TABLES = ("summary", "hours", "survey")  # report_export's tables


def today(zone: str | None = None) -> date:
    """Today in the branch's time zone, or on this PC's clock while the zone is unknown."""
    if zone is None:
        return to_date(QDate.currentDate())
    return datetime.now(ZoneInfo(zone)).date()


def to_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def fill_table(widget: QTableWidget, table: TextTable) -> None:
    """Show ``table`` read-only: names left, figures right, a total row in bold."""
    widget.clear()
    widget.setColumnCount(len(table.headers))
    widget.setRowCount(len(table.rows))
    widget.setHorizontalHeaderLabels(table.headers)
    bold = QFont(widget.font())
    bold.setBold(True)
    last = len(table.rows) - 1
    for row, cells in enumerate(table.rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if table.emphasised_last_row and row == last:
                item.setFont(bold)
            widget.setItem(row, column, item)
    widget.resizeColumnsToContents()


def new_table(name: str) -> QTableWidget:
    widget = QTableWidget()
    widget.setObjectName(name)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setAlternatingRowColors(True)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    widget.horizontalHeader().setStretchLastSection(True)
    return widget


class ReportsWindow(QMainWindow):
    report_shown = Signal()  # a report arrived and is on screen
    report_failed = Signal(str)  # the message shown instead
    export_finished = Signal(str)  # the path of the file written
    export_failed = Signal(str)  # the message shown

    def __init__(self, client: ApiClient, branch_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reports_window")
        self.setWindowTitle(self.tr("Reports"))
        self.client = client
        self.branch_id = branch_id
        self.runner = TaskRunner(self)
        self.report: ReportSummary | None = None
        self.zone: str | None = None  # the branch's, from its first report
        self._latest = 0  # number of the newest report request
        self._exporting = False
        controls = self._build_controls()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(controls)
        layout.addWidget(self.heading)
        layout.addWidget(self.ikm_label)
        layout.addWidget(self.status)
        layout.addWidget(self._build_tabs(), 1)
        self.setCentralWidget(body)
        self.resize(1180, 640)
        self._set_exports_enabled(False)
        self.choose_quick(QuickPeriod.TODAY)

    def _build_controls(self) -> QHBoxLayout:
        self.quick = QComboBox()
        self.quick.setObjectName("quick_period")
        self.quick.addItem(self.tr("Today"), QuickPeriod.TODAY)
        self.quick.addItem(self.tr("This week"), QuickPeriod.THIS_WEEK)
        self.quick.addItem(self.tr("This month"), QuickPeriod.THIS_MONTH)
        self.quick.addItem(self.tr("Last 30 days"), QuickPeriod.LAST_30_DAYS)
        self.quick.addItem(self.tr("Chosen dates"), None)
        self.quick.currentIndexChanged.connect(self._quick_chosen)
        self.first_edit = self._date_edit("first_day")
        self.last_edit = self._date_edit("last_day")
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setObjectName("show_report")
        self.show_button.clicked.connect(lambda _checked=False: self.refresh())

        self.csv_button = QPushButton(self.tr("Save CSV…"))
        self.csv_button.setObjectName("save_csv")
        csv_menu = QMenu(self.csv_button)
        for table, label in zip(
            CSV_TABLES,
            (self.tr("Summary"), self.tr("Arrivals by hour"), self.tr("Satisfaction survey")),
            strict=True,
        ):
            action = csv_menu.addAction(label)
            action.setObjectName(f"save_csv_{table}")
            action.triggered.connect(self._save_csv_of(table))
        self.csv_button.setMenu(csv_menu)
        self.xlsx_button = QPushButton(self.tr("Save XLSX…"))
        self.xlsx_button.setObjectName("save_xlsx")
        self.xlsx_button.clicked.connect(lambda _checked=False: self.choose_and_save("xlsx"))
        self.pdf_button = QPushButton(self.tr("Save PDF…"))
        self.pdf_button.setObjectName("save_pdf")
        self.pdf_button.clicked.connect(lambda _checked=False: self.choose_and_save("pdf"))

        controls = QHBoxLayout()
        controls.addWidget(plain_label(self.tr("Period")))
        controls.addWidget(self.quick)
        controls.addWidget(plain_label(self.tr("from")))
        controls.addWidget(self.first_edit)
        controls.addWidget(plain_label(self.tr("to")))
        controls.addWidget(self.last_edit)
        controls.addWidget(self.show_button)
        controls.addStretch(1)
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            controls.addWidget(button)

        self.heading = plain_label("")
        self.heading.setObjectName("report_heading")
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.ikm_label = plain_label("")
        self.ikm_label.setObjectName("ikm_headline")
        self.status = plain_label("")
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        return controls

    def _build_tabs(self) -> QTabWidget:
        self.services = new_table("services_table")
        self.counters = new_table("counters_table")
        self.officers = new_table("officers_table")
        self.ikm = new_table("ikm_table")
        self.chart_view = QChartView(arrivals_chart([0] * 24))
        self.chart_view.setObjectName("arrivals_chart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("report_tabs")
        self.tabs.addTab(self.services, self.tr("Services"))
        self.tabs.addTab(self.counters, self.tr("Counters"))
        self.tabs.addTab(self.officers, self.tr("Officers"))
        self.tabs.addTab(self.chart_view, self.tr("Arrivals by hour"))
        self.tabs.addTab(self.ikm, self.tr("Satisfaction (IKM)"))
        self.staffing = StaffingPanel(self.client, self.branch_id, self.runner)
        self.tabs.addTab(self.staffing, self.tr("Staffing"))
        return self.tabs

    # --- the period ---

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setLocale(QLocale())
        edit.dateChanged.connect(self._dates_edited)
        return edit

    def period(self) -> tuple[date, date]:
        """The period in the date fields, as the server will accept it."""
        return clamp_period(to_date(self.first_edit.date()), to_date(self.last_edit.date()))

    def _show_dates(self, first: date, last: date) -> None:
        for edit, day in ((self.first_edit, first), (self.last_edit, last)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)

    def choose_quick(self, choice: QuickPeriod) -> None:
        """Today, this week, this month or the last 30 days; shown at once."""
        index = self.quick.findData(choice)
        if index != self.quick.currentIndex():
            self.quick.setCurrentIndex(index)  # → _quick_chosen
        else:
            self._quick_chosen(index)

    def _quick_chosen(self, index: int) -> None:
        choice = self.quick.itemData(index)
        if choice is None:
            return  # "chosen dates": the fields say which
        self._show_dates(*period_for(QuickPeriod(choice), today(self.zone)))
        self.refresh()

    def _dates_edited(self, _day: QDate) -> None:
        self.quick.blockSignals(True)
        self.quick.setCurrentIndex(self.quick.findData(None))
        self.quick.blockSignals(False)

    def set_period(self, first: date, last: date) -> None:
        """Show the report of ``first`` to ``last`` (both included)."""
        self._dates_edited(QDate())
        self._show_dates(*clamp_period(first, last))
        self.refresh()

    # --- fetching and showing ---

    def refresh(self) -> None:
        """Fetch the report of the period in the fields (off the Qt thread)."""
        first, last = self.period()
        self._show_dates(first, last)
        self._latest += 1
        number = self._latest
        self._say(self.tr("Loading the report…"))
        self.show_button.setEnabled(False)
        self._set_exports_enabled(False)
        self.runner.run(
            lambda: self.client.report_summary(self.branch_id, first, last),
            lambda report: self._arrived(number, report),
            lambda exc: self._refused(number, exc),
        )

    def _arrived(self, number: int, report: ReportSummary) -> None:
        if number != self._latest:
            return
        self.show_button.setEnabled(True)
        known = self.zone is not None
        self.zone = report.timezone
        choice = self.quick.currentData()
        if not known and choice is not None:
            # "Today" was this PC's; the office's day may differ (a PC clock in another zone).
            wanted = period_for(QuickPeriod(choice), today(self.zone))
            if wanted != (report.first_day, report.last_day):
                self._show_dates(*wanted)
                self.refresh()
                return
        self.show_report(report)

    def _refused(self, number: int, exc: Exception) -> None:
        if number != self._latest:
            return
        self.show_button.setEnabled(True)
        self._set_exports_enabled(self.report is not None)
        message = self.explain(exc)
        self._say(message, error=True)
        self.report_failed.emit(message)

    def explain(self, exc: Exception) -> str:
        """What went wrong, for a supervisor: the report's own cases, then the common ones."""
        if isinstance(exc, ApiError):
            if exc.code == ErrorCode.FORBIDDEN:
                return self.tr("Only a supervisor or an admin may see the reports.")
            if exc.code == ErrorCode.WRONG_BRANCH:
                return self.tr("Your account may not see this office's reports.")
            if exc.code == ErrorCode.RANGE_TOO_LONG:
                return self.tr("A report covers at most 366 days; choose a shorter period.")
        return describe(exc)

    def show_report(self, report: ReportSummary) -> None:
        self.report = report
        self.setWindowTitle(self.tr("Reports — {office}").format(office=report.branch_name))
        self.heading.setText(
            f"{report.branch_name} · {period_text(report.first_day, report.last_day)}"
        )
        self.ikm_label.setText(ikm_headline(report.survey))
        fill_table(self.services, services_table(report))
        fill_table(self.counters, counters_table(report))
        fill_table(self.officers, officers_table(report))
        fill_table(self.ikm, ikm_table(report))
        old = self.chart_view.chart()
        self.chart_view.setChart(arrivals_chart(list(report.arrivals_by_hour)))
        old.deleteLater()
        self._say(
            self.tr("{count} tickets issued in this period.").format(
                count=QLocale().toString(report.total.issued or 0)
            )
        )
        self._set_exports_enabled(True)
        self.report_shown.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else STATUS_STYLE)

    def _set_exports_enabled(self, enabled: bool) -> None:
        enabled = enabled and not self._exporting
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            button.setEnabled(enabled)

    # --- saving ---

    def suggested_name(self, extension: str, table: str = "summary") -> str:
        assert self.report is not None
        report = self.report
        stem = f"laporan-{self.branch_id}-{report.first_day}_{report.last_day}"
        return f"{stem}-{table}.{extension}" if extension == "csv" else f"{stem}.{extension}"

    def choose_and_save(self, extension: str, table: str = "summary") -> None:
        """Ask where to save (a file dialog), then save the shown report there."""
        if self.report is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        filters = {
            "csv": self.tr("CSV files (*.csv)"),
            "xlsx": self.tr("Excel workbooks (*.xlsx)"),
            "pdf": self.tr("PDF documents (*.pdf)"),
        }
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the report"),
            str(Path(folder) / self.suggested_name(extension, table)),
            filters[extension],
        )
        if not path:
            return
        if extension == "pdf":
            self.save_pdf(Path(path))
        else:
            self.save_export(extension, Path(path), table)

    def _save_csv_of(self, table: str) -> Callable[[], None]:
        return lambda: self.choose_and_save("csv", table)

    def export_language(self) -> str:
        return "en" if QLocale().language() == QLocale.Language.English else "id"

    def save_export(self, file_format: str, path: Path, table: str = "summary") -> None:
        """Save the shown report's period as the server makes it: ``xlsx`` (every table) or
        ``csv`` (one ``table``). Fetched and written off the Qt thread."""
        if self.report is None:
            return
        first, last = self.report.first_day, self.report.last_day
        language = self.export_language()

        def work() -> str:
            answer = self.client.report_export(
                self.branch_id, first, last, file_format, table, language
            )
            path.write_bytes(answer.content)
            return str(path)

        self._exporting = True
        self._set_exports_enabled(False)
        self._say(self.tr("Saving {file}…").format(file=path.name))
        self.runner.run(work, self._saved, self._not_saved)

    def save_pdf(self, path: Path) -> None:
        """Write the shown report as an A4 PDF (drawn here, in a moment)."""
        if self.report is None:
            return
        try:
            write_pdf(self.report, path)
        except OSError as exc:
            self._not_saved(exc)
            return
        if not path.is_file() or path.stat().st_size == 0:
            self._not_saved(OSError(str(path)))
            return
        self._saved(str(path))

    def _saved(self, path: str) -> None:
        self._exporting = False
        self._set_exports_enabled(self.report is not None)
        self._say(self.tr("Saved: {path}").format(path=path))
        self.export_finished.emit(path)

    def _not_saved(self, exc: Exception) -> None:
        self._exporting = False
        self._set_exports_enabled(self.report is not None)
        if isinstance(exc, OSError):
            message = self.tr("Could not write the file: {error}").format(
                error=exc.strerror or str(exc)
            )
        else:
            message = self.explain(exc)
        self._say(message, error=True)
        self.export_failed.emit(message)
