"""The supervisor calls a ticket by its number to a counter: above all a no-show who came
back (within the service's ``no_show_recall_minutes`` of the skip; the server refuses later
with a clear message), or any waiting ticket that must go first to one counter."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from counter_app.schemas.office import CounterOut
from counter_app.views.counter.dialogs import ok_cancel


class CallBackDialog(QDialog):
    """A ticket number and one of the open counters with no ticket in hand."""

    def __init__(self, counters: list[CounterOut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("call_back_dialog")
        self.setWindowTitle(self.tr("Call a number back"))
        self.number = QLineEdit()
        self.number.setObjectName("call_back_number")
        self.number.setMaxLength(10)
        self.number.setPlaceholderText("A-007")
        self.counter_box = QComboBox()
        self.counter_box.setObjectName("call_back_counter")
        for counter in counters:
            self.counter_box.addItem(counter.name, counter.id)
        form = QFormLayout()
        form.addRow(self.tr("Ticket number"), self.number)
        form.addRow(self.tr("To counter"), self.counter_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, self.tr("Call"), self._accept_if_complete))

    def _accept_if_complete(self) -> None:
        if self.number.text().strip() and self.counter_box.currentIndex() >= 0:
            self.accept()

    def choice(self) -> tuple[str, int]:
        """(ticket number, counter id)."""
        return self.number.text().strip(), int(self.counter_box.currentData())
