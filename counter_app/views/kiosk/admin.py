"""The kiosk's admin side, behind a PIN: leave fullscreen, close, settings, a test print."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.hardware.printer import (
    CONNECTIONS,
    QR_MODES,
    FaultReason,
    PrinterSettings,
    PrintResult,
    profile_names,
)
from counter_app.views.counter.dialogs import ok_cancel
from counter_app.views.kiosk.printing import KioskPrinter
from counter_app.views.kiosk.settings import (
    MAX_IDLE_SECONDS,
    MIN_IDLE_SECONDS,
    MIN_PIN_LENGTH,
    KioskSettings,
)
from counter_app.views.kiosk.widgets import SECONDARY_STYLE, Keypad, font, touch_button
from counter_app.views.plain import plain_label

ERROR_STYLE = "color:#b71c1c;font-weight:bold;"


class PinDialog(QDialog):
    """The admin PIN on an on-screen keypad (a kiosk has no keyboard)."""

    def __init__(self, settings: KioskSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pin_dialog")
        self.setWindowTitle(self.tr("Admin"))
        self.settings = settings
        self.field = QLineEdit()
        self.field.setObjectName("pin")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setFont(font(28))
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMaxLength(32)
        self.field.returnPressed.connect(self.check)
        self.error = plain_label("")
        self.error.setObjectName("pin_error")
        self.error.setStyleSheet(ERROR_STYLE)
        keypad = Keypad(letters=False)
        keypad.typed.connect(self.field.insert)
        keypad.erased.connect(self.field.backspace)
        keypad.cleared.connect(self.field.clear)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr("Admin PIN")))
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(keypad)
        layout.addWidget(ok_cancel(self, self.tr("Unlock"), self.check))

    def check(self) -> None:
        if self.settings.check_pin(self.field.text()):
            self.accept()
            return
        self.field.clear()
        locked = self.settings.pin_locked_seconds()
        if locked > 0:
            self.error.setText(
                self.tr("Too many wrong PINs. Try again in {minutes} minutes.").format(
                    minutes=(locked + 59) // 60
                )
            )
            return
        self.error.setText(self.tr("Wrong PIN."))


class AdminDialog(QDialog):
    """What the admin may do once the PIN is accepted."""

    SETTINGS, LEAVE_FULLSCREEN, CLOSE = 10, 11, 12

    def __init__(self, fullscreen: bool, parent: QWidget | None = None, warning: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("admin_dialog")
        self.setWindowTitle(self.tr("Admin"))
        layout = QVBoxLayout(self)
        self.warning = plain_label(warning)
        self.warning.setObjectName("admin_warning")
        self.warning.setStyleSheet(ERROR_STYLE)
        self.warning.setWordWrap(True)
        self.warning.setVisible(bool(warning))
        layout.addWidget(self.warning)
        choices = [(self.tr("Settings and test print…"), "admin_settings", self.SETTINGS)]
        if fullscreen:
            choices.append((self.tr("Leave fullscreen"), "admin_windowed", self.LEAVE_FULLSCREEN))
        choices.append((self.tr("Close the kiosk"), "admin_close", self.CLOSE))
        for text, name, code in choices:
            layout.addWidget(
                touch_button(text, name, partial(self.done, code), points=16, primary=False)
            )
        back = touch_button(self.tr("Back to the kiosk"), "admin_back", self.reject, points=16)
        layout.addWidget(back)


class KioskSettingsDialog(QDialog):
    """Server, device, QR address, idle time, PIN and printer; with a test print."""

    def __init__(
        self, settings: KioskSettings, printer: KioskPrinter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_settings")
        self.setWindowTitle(self.tr("Kiosk settings"))
        self.settings = settings
        self.printer = printer
        self._test_job: int | None = None
        kiosk_box = self._kiosk_box(settings)
        printer_box = self._printer_box(printer.settings)
        self.error = plain_label("")
        self.error.setObjectName("settings_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        note = plain_label(self.tr("A new server or device token applies at the next start."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(kiosk_box)
        layout.addWidget(printer_box)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.tr("Save"), self.save))
        printer.finished.connect(self._test_done, Qt.ConnectionType.QueuedConnection)

    def _kiosk_box(self, settings: KioskSettings) -> QGroupBox:
        self.server = QLineEdit(settings.server_url)
        self.server.setObjectName("server")
        self.token = QLineEdit(settings.device_token)
        self.token.setObjectName("device_token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.public_url = QLineEdit(settings.custom_public_base_url)
        self.public_url.setObjectName("public_url")
        self.public_url.setPlaceholderText(self.tr("The server address"))
        self.idle = QSpinBox()
        self.idle.setObjectName("idle_seconds")
        self.idle.setRange(MIN_IDLE_SECONDS, MAX_IDLE_SECONDS)
        self.idle.setValue(settings.idle_seconds)
        self.idle.setSuffix(self.tr(" s"))
        self.new_pin = QLineEdit()
        self.new_pin.setObjectName("new_pin")
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setPlaceholderText(self.tr("Leave empty to keep the PIN"))
        kiosk_box = QGroupBox(self.tr("Kiosk"))
        kiosk_form = QFormLayout(kiosk_box)
        kiosk_form.addRow(self.tr("Server"), self.server)
        kiosk_form.addRow(self.tr("Device token"), self.token)
        kiosk_form.addRow(self.tr("Address for the QR code"), self.public_url)
        kiosk_form.addRow(self.tr("Back to the start after"), self.idle)
        kiosk_form.addRow(self.tr("New admin PIN"), self.new_pin)
        return kiosk_box

    def _printer_box(self, current: PrinterSettings) -> QGroupBox:
        self.connection = QComboBox()
        self.connection.setObjectName("printer_connection")
        names = {
            "none": self.tr("No printer"),
            "usb": self.tr("USB (vendor:product id)"),
            "network": self.tr("Network (host:port)"),
            "serial": self.tr("Serial port"),
            "file": self.tr("Device file (/dev/usb/lp0)"),
            "win32": self.tr("Windows printer (name)"),
        }
        for kind in CONNECTIONS:
            self.connection.addItem(names[kind], kind)
        self.connection.setCurrentIndex(max(0, self.connection.findData(current.connection)))
        self.target = QLineEdit(current.target)
        self.target.setObjectName("printer_target")
        self.baudrate = QSpinBox()
        self.baudrate.setRange(1200, 921600)
        self.baudrate.setValue(current.baudrate)
        self.profile = QComboBox()
        self.profile.setObjectName("printer_profile")
        self.profile.addItems(profile_names())
        self.profile.setCurrentText(current.profile)
        self.qr = QComboBox()
        self.qr.setObjectName("printer_qr")
        qr_names = {
            "auto": self.tr("As the profile says"),
            "native": self.tr("Printer's own QR"),
            "image": self.tr("As an image"),
        }
        for mode in QR_MODES:
            self.qr.addItem(qr_names[mode], mode)
        self.qr.setCurrentIndex(max(0, self.qr.findData(current.qr)))
        self.status_checks = QCheckBox(self.tr("Ask the printer for paper and status"))
        self.status_checks.setChecked(current.status_checks)
        printer_box = QGroupBox(self.tr("Ticket printer"))
        printer_form = QFormLayout(printer_box)
        printer_form.addRow(self.tr("Connection"), self.connection)
        printer_form.addRow(self.tr("Printer"), self.target)
        printer_form.addRow(self.tr("Baud rate (serial)"), self.baudrate)
        printer_form.addRow(self.tr("Profile"), self.profile)
        printer_form.addRow(self.tr("QR code"), self.qr)
        printer_form.addRow(self.status_checks)
        self.test_button = touch_button(
            self.tr("Test print"), "test_print", self.test_print, points=14, primary=False
        )
        self.test_button.setStyleSheet(SECONDARY_STYLE)
        self.test_result = plain_label("")
        self.test_result.setObjectName("test_result")
        self.test_result.setWordWrap(True)
        printer_form.addRow(self.test_button)
        printer_form.addRow(self.test_result)
        return printer_box

    def chosen_printer(self) -> PrinterSettings:
        """The printer as entered; ValueError with the reason when it is not valid."""
        return PrinterSettings(
            connection=str(self.connection.currentData()),  # type: ignore[arg-type]
            target=self.target.text().strip(),
            baudrate=self.baudrate.value(),
            profile=self.profile.currentText(),
            qr=str(self.qr.currentData()),  # type: ignore[arg-type]
            status_checks=self.status_checks.isChecked(),
        )

    def _printer_or_error(self) -> PrinterSettings | None:
        try:
            return self.chosen_printer()
        except ValueError:
            self.error.setText(
                self.tr("Check the printer: the connection and the printer do not fit together.")
            )
            return None

    def test_print(self) -> None:
        chosen = self._printer_or_error()
        if chosen is None:
            return
        self.error.setText("")
        self.printer.configure(chosen)
        self.test_result.setText(self.tr("Printing a test page…"))
        self._test_job = self.printer.print_check_page(
            ["counter_app", chosen.describe(), f"profile {chosen.profile}"],
            self.public_url.text().strip() or self.server.text().strip(),
        )

    def _test_done(self, result: PrintResult) -> None:
        if result.job != self._test_job:
            return
        if result.printed:
            self.test_result.setText(self.tr("The test page was printed."))
        elif result.reason is FaultReason.NOT_CONFIGURED:
            self.test_result.setText(self.tr("No printer is chosen."))
        else:
            self.test_result.setText(
                self.tr("The test page was not printed: {why}").format(why=result.message)
            )

    def save(self) -> None:
        chosen = self._printer_or_error()
        if chosen is None:
            return
        pin = self.new_pin.text()
        if pin and (len(pin) < MIN_PIN_LENGTH or not pin.isdigit()):
            self.error.setText(
                self.tr("The PIN needs at least {n} digits.").format(n=MIN_PIN_LENGTH)
            )
            return
        if pin:
            self.settings.set_pin(pin)
        self.settings.server_url = self.server.text()
        self.settings.device_token = self.token.text()
        self.settings.public_base_url = self.public_url.text()
        self.settings.idle_seconds = self.idle.value()
        self.settings.set_printer(chosen)
        self.settings.qt.sync()
        self.printer.configure(chosen)
        self.accept()

    def reject(self) -> None:
        # A test print may have switched the printer; go back to the saved one.
        self.printer.configure(self.settings.printer())
        super().reject()
