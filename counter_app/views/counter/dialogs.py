"""The counter window's small dialogs: transfer, call a number, break reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.vocabulary import CounterState
from counter_app.schemas.office import CounterOut, ServiceOut
from counter_app.views.plain import plain_label


def ok_cancel(
    dialog: QDialog, ok_text: str = "", on_ok: Callable[[], None] | None = None
) -> QDialogButtonBox:
    """OK and Cancel in the app's language (Qt ships no Indonesian for its own buttons).

    OK accepts the dialog, or calls ``on_ok`` instead (which accepts it when all is well)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
        ok_text or QCoreApplication.translate("Dialogs", "OK")
    )
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("Dialogs", "Cancel")
    )
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class TransferDialog(QDialog):
    """Send the current ticket to another counter or service, with a note.

    Used by the counter window and the supervisor's board. A counter that is closed or on a
    break is marked in the list, and choosing one asks first: nobody calls the ticket there
    until that counter opens (the supervisor is alerted if it waits past the target)."""

    def __init__(
        self,
        number: str,
        counters: list[CounterOut],
        services: list[ServiceOut],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transfer_dialog")
        self.setWindowTitle(self.tr("Transfer ticket {number}").format(number=number))
        self.to_counter = QRadioButton(self.tr("To a counter"))
        self.to_service = QRadioButton(self.tr("To a service queue"))
        self.to_counter.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.to_counter)
        group.addButton(self.to_service)
        self.counter_box = QComboBox()
        self.counter_box.setObjectName("transfer_counter")
        self.counters = {counter.id: counter for counter in counters}
        for counter in counters:
            self.counter_box.addItem(self._counter_text(counter), counter.id)
        self.confirm_box: QMessageBox | None = None
        self.service_box = QComboBox()
        self.service_box.setObjectName("transfer_service")
        for service in services:
            self.service_box.addItem(f"{service.prefix} — {service.name}", service.id)
        self.note = QLineEdit()
        self.note.setObjectName("transfer_note")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(self.tr("Optional note for the next officer"))
        form = QFormLayout()
        form.addRow(self.to_counter, self.counter_box)
        form.addRow(self.to_service, self.service_box)
        form.addRow(plain_label(self.tr("Note")), self.note)
        buttons = ok_cancel(self, self.tr("Transfer"), self._confirm_then_accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.to_counter.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.counter_box.setEnabled(self.to_counter.isChecked())
        self.service_box.setEnabled(self.to_service.isChecked())

    def _state_text(self, state: CounterState) -> str:
        return {
            CounterState.OPEN: self.tr("open"),
            CounterState.BREAK: self.tr("on break"),
            CounterState.CLOSED: self.tr("closed"),
        }[state]

    def _counter_text(self, counter: CounterOut) -> str:
        if counter.state is CounterState.OPEN:
            return counter.name
        return self.tr("{counter} — {state}").format(
            counter=counter.name, state=self._state_text(counter.state)
        )

    def not_open_target(self) -> CounterOut | None:
        """The chosen counter when it is closed or on a break, else None."""
        counter_id, _service_id = self.target()
        counter = self.counters.get(counter_id) if counter_id is not None else None
        return counter if counter is not None and counter.state is not CounterState.OPEN else None

    def _confirm_then_accept(self) -> None:
        if self.to_counter.isChecked() and self.counter_box.currentIndex() < 0:
            return  # no counter to choose
        counter = self.not_open_target()
        if counter is None:
            self.accept()
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Counter not open"),
            self.tr(
                "{counter} is {state}. The ticket will wait there, and nobody calls it "
                "until the counter opens. Transfer anyway?"
            ).format(counter=counter.name, state=self._state_text(counter.state)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("transfer_confirm_box")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Transfer anyway"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Choose another"))
        self.confirm_box = box

        def answered(button: object) -> None:
            if button is box.button(QMessageBox.StandardButton.Yes):
                self.accept()

        box.buttonClicked.connect(answered)
        box.open()

    def target(self) -> tuple[int | None, int | None]:
        """(counter id, service id): exactly one is set."""
        if self.to_counter.isChecked():
            return int(self.counter_box.currentData()), None
        return None, int(self.service_box.currentData())


class TextDialog(QDialog):
    """One line of text: a ticket number to call, or the reason for a break."""

    def __init__(
        self, title: str, label: str, placeholder: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.field = QLineEdit()
        self.field.setObjectName("text_field")
        self.field.setMaxLength(200)
        self.field.setPlaceholderText(placeholder)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(label))
        layout.addWidget(self.field)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.field.text().strip()
