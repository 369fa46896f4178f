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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

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
    """Send the current ticket to another counter or service, with a note."""

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
        for counter in counters:
            self.counter_box.addItem(counter.name, counter.id)
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
        buttons = ok_cancel(self, self.tr("Transfer"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.to_counter.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.counter_box.setEnabled(self.to_counter.isChecked())
        self.service_box.setEnabled(self.to_service.isChecked())

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
