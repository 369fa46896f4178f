"""The supervisor window's "Devices…": the branch's stations (TVs, kiosks, survey screens)
with when each was last seen; add one (a pairing code to type on it), revoke one (lost or
replaced: it stops at once), or give one a new token (shown once).

Every call runs off the Qt thread, one at a time. The server checks every permission again
(a supervisor or an admin, within their branch)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.api import ApiClient
from counter_app.core.vocabulary import DeviceKind
from counter_app.schemas.devices import (
    DeviceOut,
    DeviceTokenOut,
    PairingCodeOut,
    PairingCodeRequest,
)
from counter_app.views.counter.dialogs import ok_cancel
from counter_app.views.counter.panels import big_font
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.tasks import TaskRunner

ERROR_STYLE = "color:#b71c1c;font-weight:bold;"


def _when(at: datetime | None) -> str:
    return "—" if at is None else at.astimezone().strftime("%Y-%m-%d %H:%M")


class AddStationDialog(QDialog):
    """What to add: a TV, a kiosk or a survey screen, its name, how long its token lasts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("add_station_dialog")
        self.setWindowTitle(self.tr("Add a station"))
        self.kind = QComboBox()
        self.kind.setObjectName("station_kind")
        # A survey screen signs in with a display token (views/survey).
        self.kind.addItem(self.tr("Waiting-room TV"), DeviceKind.DISPLAY)
        self.kind.addItem(self.tr("Ticket kiosk"), DeviceKind.KIOSK)
        self.kind.addItem(self.tr("Survey screen"), DeviceKind.DISPLAY)
        self.name = QLineEdit()
        self.name.setObjectName("station_name")
        self.name.setMaxLength(100)
        self.name.setPlaceholderText(self.tr("e.g. TV lobby"))
        self.days = QSpinBox()
        self.days.setObjectName("token_days")
        self.days.setRange(0, 3650)
        self.days.setSpecialValueText(self.tr("until revoked"))
        self.days.setSuffix(self.tr(" days"))
        self.error = plain_label("")
        self.error.setObjectName("add_station_error")
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Token lasts"), self.days)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.tr("Make a pairing code"), self.check))

    def check(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Give the station a name."))
            return
        self.accept()

    def request(self) -> PairingCodeRequest:
        kind = DeviceKind(str(self.kind.currentData()))  # Qt hands the enum back as text
        days = self.days.value()
        return PairingCodeRequest(
            kind=kind, name=self.name.text().strip(), expires_days=days or None
        )


class SecretDialog(QDialog):
    """A pairing code or a new token, in large type, shown this once."""

    def __init__(self, title: str, secret: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secret_dialog")
        self.setWindowTitle(title)
        self.secret = QLineEdit(secret)
        self.secret.setObjectName("secret")
        self.secret.setReadOnly(True)
        self.secret.setFont(big_font(28 if len(secret) < 16 else 12))
        self.secret.setMinimumWidth(min(640, 40 + 14 * len(secret)))
        note_label = plain_label(note)
        note_label.setWordWrap(True)
        close = QPushButton(self.tr("Done"))
        close.setObjectName("secret_done")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.secret)
        layout.addWidget(note_label)
        layout.addWidget(close)


class DevicesDialog(QDialog):
    def __init__(self, client: ApiClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devices_dialog")
        self.setWindowTitle(self.tr("Devices"))
        self.client = client
        self.runner = TaskRunner(self, max_threads=1)
        self.devices: list[DeviceOut] = []
        self.busy = False
        self.shown: QDialog | None = None

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("devices_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("Last seen"),
                self.tr("Token expires"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self.refresh_buttons)
        self.status = plain_label("")
        self.status.setObjectName("devices_status")
        self.status.setWordWrap(True)
        self.add_button = self._button(self.tr("Add a station…"), "add_station", self.add)
        self.revoke_button = self._button(self.tr("Revoke"), "revoke_device", self.revoke)
        self.rotate_button = self._button(self.tr("New token…"), "rotate_device", self.rotate)
        row = QHBoxLayout()
        for button in (self.add_button, self.revoke_button, self.rotate_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.resize(720, 420)
        self.load()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- the list ---

    def load(self) -> None:
        self._run(self.client.list_devices, self._loaded)

    def _loaded(self, devices: object) -> None:
        assert isinstance(devices, list)
        chosen = self.selected()
        self.devices = devices
        self.table.setRowCount(len(devices))
        for row, device in enumerate(devices):
            if device.has_valid_token:
                state = self.tr("active")
            elif not device.active:
                state = self.tr("revoked")
            else:
                state = self.tr("no valid token")
            expires = (
                _when(device.token_expires_at) if device.token_expires_at else self.tr("never")
            )
            texts = (
                device.name,
                self.tr("TV / survey") if device.kind is DeviceKind.DISPLAY else self.tr("kiosk"),
                state,
                _when(device.last_seen_at),
                expires if device.has_valid_token else "—",
            )
            for col, text in enumerate(texts):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if chosen is not None and device.id == chosen.id:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.refresh_buttons()

    def selected(self) -> DeviceOut | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.devices[row] if 0 <= row < len(self.devices) else None

    def select_device(self, name: str) -> bool:
        for row, device in enumerate(self.devices):
            if device.name == name:
                self.table.selectRow(row)
                return True
        return False

    def refresh_buttons(self) -> None:
        device = self.selected()
        self.add_button.setEnabled(not self.busy)
        self.revoke_button.setEnabled(not self.busy and device is not None and device.active)
        self.rotate_button.setEnabled(not self.busy and device is not None)

    # --- the actions ---

    def add(self) -> None:
        dialog = AddStationDialog(self)
        self.shown = dialog

        def chosen() -> None:
            request = dialog.request()
            self._run(lambda: self.client.create_pairing_code(request), self.show_code)

        dialog.accepted.connect(chosen)
        dialog.open()

    def show_code(self, answer: object) -> None:
        assert isinstance(answer, PairingCodeOut)
        self.status.setText(self.tr("Pairing code for {name} made.").format(name=answer.name))
        dialog = SecretDialog(
            self.tr("Pairing code"),
            answer.code,
            self.tr(
                "Type this code on the station ({name}) within 10 minutes, until {time}. "
                "It works once."
            ).format(name=answer.name, time=answer.expires_at.astimezone().strftime("%H:%M")),
            self,
        )
        self.shown = dialog
        dialog.open()
        self.load()

    def revoke(self) -> None:
        device = self.selected()
        if device is None:
            return

        def done(answer: object) -> None:
            assert isinstance(answer, DeviceOut)
            self.status.setText(
                self.tr("{name} is revoked: it stops now.").format(name=answer.name)
            )
            self.load()

        self._run(lambda: self.client.revoke_device(device.id), done)

    def rotate(self) -> None:
        device = self.selected()
        if device is None:
            return

        def done(answer: object) -> None:
            assert isinstance(answer, DeviceTokenOut)
            self.status.setText(
                self.tr("{name} has a new token; the old one stopped.").format(
                    name=answer.device.name
                )
            )
            dialog = SecretDialog(
                self.tr("New device token"),
                answer.token,
                self.tr(
                    "Enter this token on {name} (its set-up) now: it is shown only once. "
                    "Or revoke the device and add it again with a pairing code."
                ).format(name=answer.device.name),
                self,
            )
            self.shown = dialog
            dialog.open()
            self.load()

        self._run(lambda: self.client.rotate_device_token(device.id), done)

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
