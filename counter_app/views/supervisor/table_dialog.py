"""What the supervisor window's list dialogs ("Users…", "Devices…") share: a table of rows
from the server (one selectable at a time), a row of buttons under it, a status line, and
calls that run off the Qt thread one at a time while the buttons wait.

A dialog built on it names its table's columns, fetches and words its rows, and says which
buttons a selection enables; the server checks every permission again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.api import ApiClient
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.tasks import TaskRunner


class HasId(Protocol):
    @property
    def id(self) -> int: ...


Row = TypeVar("Row", bound=HasId)


class TableDialog(QDialog, Generic[Row]):
    """The table is `<name>_table`, the status line `<name>_status`, the dialog `<name>_dialog`."""

    # Whether the columns fit their texts after every load.
    fit_columns = False

    def __init__(
        self, client: ApiClient, name: str, columns: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_dialog")
        self.client = client
        self.runner = TaskRunner(self, max_threads=1)
        self.rows: list[Row] = []
        self.busy = False

        self.table = QTableWidget(0, columns)
        self.table.setObjectName(f"{name}_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self.refresh_buttons)
        self.status = plain_label("")
        self.status.setObjectName(f"{name}_status")
        self.status.setWordWrap(True)

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _lay_out(self, buttons: Sequence[QPushButton], width: int) -> None:
        """The table, the buttons under it, the status line; then the first load."""
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.resize(width, 420)
        self.load()

    # --- what a dialog built on it says ---

    def fetch(self) -> list[Row]:
        """The rows, from the server (runs off the Qt thread)."""
        raise NotImplementedError

    def texts(self, row: Row) -> Sequence[str]:
        """A row's cells, one text a column."""
        raise NotImplementedError

    def refresh_buttons(self) -> None:
        """Enable the buttons that fit the selection (none while a call is in flight)."""
        raise NotImplementedError

    # --- the list ---

    def load(self) -> None:
        self._run(self.fetch, self._loaded)

    def _loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        chosen = self.selected()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for col, text in enumerate(self.texts(row)):
                self.table.setItem(index, col, QTableWidgetItem(text))
            if chosen is not None and row.id == chosen.id:
                self.table.selectRow(index)
        if self.fit_columns:
            self.table.resizeColumnsToContents()
        self.refresh_buttons()

    def selected(self) -> Row | None:
        indexes = {index.row() for index in self.table.selectedIndexes()}
        if len(indexes) != 1:
            return None
        index = indexes.pop()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _select(self, matches: Callable[[Row], bool]) -> bool:
        """Select the first row that matches; False where none does."""
        for index, row in enumerate(self.rows):
            if matches(row):
                self.table.selectRow(index)
                return True
        return False

    # --- the calls ---

    def _run(self, work: Callable[[], object], on_done: Callable[[object], None]) -> None:
        if self.busy:
            return
        self.busy = True
        self.refresh_buttons()

        def finished(result: object) -> None:
            self.busy = False
            on_done(result)
            self.refresh_buttons()

        def failed(exc: Exception) -> None:
            self.busy = False
            self.status.setText(describe(exc))
            self.refresh_buttons()

        self.runner.run(work, finished, failed)

    def done(self, result: int) -> None:
        self.runner.wait(5000)
        super().done(result)
