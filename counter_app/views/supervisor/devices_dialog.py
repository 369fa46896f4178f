"""The supervisor window's "Devices…": the branch's stations (TVs, kiosks, survey screens)
with when each was last seen; add one (a pairing code to type on it), revoke one (lost or
replaced: it stops at once), or give one a new token (shown once).

Every call runs off the Qt thread, one at a time. The server checks every permission again
(a supervisor or an admin, within their branch)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
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
from counter_app.views.plain import plain_label
from counter_app.views.supervisor.table_dialog import TableDialog

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


class DevicesDialog(TableDialog[DeviceOut]):
    fit_columns = True

    def __init__(self, client: ApiClient, parent: QWidget | None = None) -> None:
        super().__init__(client, "devices", 5, parent)
        self.setWindowTitle(self.tr("Devices"))
        self.shown: QDialog | None = None
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("Last seen"),
                self.tr("Token expires"),
            ]
        )
        self.add_button = self._button(self.tr("Add a station…"), "add_station", self.add)
        self.revoke_button = self._button(self.tr("Revoke"), "revoke_device", self.revoke)
        self.rotate_button = self._button(self.tr("New token…"), "rotate_device", self.rotate)
        self._lay_out((self.add_button, self.revoke_button, self.rotate_button), 720)

    @property
    def devices(self) -> list[DeviceOut]:
        return self.rows

    # --- the list ---

    def fetch(self) -> list[DeviceOut]:
        return self.client.list_devices()

    def texts(self, device: DeviceOut) -> tuple[str, ...]:
        if device.has_valid_token:
            state = self.tr("active")
        elif not device.active:
            state = self.tr("revoked")
        else:
            state = self.tr("no valid token")
        expires = _when(device.token_expires_at) if device.token_expires_at else self.tr("never")
        return (
            device.name,
            self.tr("TV / survey") if device.kind is DeviceKind.DISPLAY else self.tr("kiosk"),
            state,
            _when(device.last_seen_at),
            expires if device.has_valid_token else "—",
        )

    def select_device(self, name: str) -> bool:
        return self._select(lambda device: device.name == name)

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
