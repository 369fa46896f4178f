"""This PC's settings: the language of the windows, keys of a USB call keypad, the LED display.

A call keypad is a small USB keyboard: each of its keys types something (a digit, a letter, an
F13…F24 key). Mapping one of them to an action makes it a second shortcut next to the action's
F-key, which always works. The language applies at the next start: every text is chosen when a
window is built, so switching live would leave half the window in the old language.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QKeySequenceEdit,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.hardware.led_config import parse_display
from counter_app.views.counter.controller import CounterCommand
from counter_app.views.counter.dialogs import ok_cancel
from counter_app.views.counter.labels import action_label
from counter_app.views.i18n import LANGUAGES
from counter_app.views.plain import plain_label
from counter_app.views.settings import ACTIONS, DEFAULT_KEYS, AppSettings

ERROR_STYLE = "color:#b71c1c;font-weight:bold;"


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings

        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        language_note = plain_label(self.tr("A new language shows the next time the app starts."))
        language_note.setWordWrap(True)
        language_box = QGroupBox(self.tr("Language"))
        language_layout = QVBoxLayout(language_box)
        language_layout.addWidget(self.language)
        language_layout.addWidget(language_note)

        self.key_edits: dict[str, QKeySequenceEdit] = {}
        keys_box = QGroupBox(self.tr("Call keypad"))
        keys_form = QFormLayout(keys_box)
        keys_note = plain_label(
            self.tr("Click a field, then press the keypad key for that action. F-keys always work.")
        )
        keys_note.setWordWrap(True)
        keys_form.addRow(keys_note)
        for action in ACTIONS:
            edit = QKeySequenceEdit(QKeySequence(settings.keypad_key(action)))
            edit.setObjectName(f"keypad_{action}")
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            field = edit.findChild(QLineEdit)  # Qt's own hint is English only
            if field is not None:
                field.setPlaceholderText(self.tr("Press a key"))
            self.key_edits[action] = edit
            keys_form.addRow(
                f"{action_label(CounterCommand(action))} ({DEFAULT_KEYS[action]})", edit
            )

        led_box = QGroupBox(self.tr("LED display above this counter"))
        led_layout = QVBoxLayout(led_box)
        self.led = QLineEdit(settings.led_display)
        self.led.setObjectName("led_display")
        self.led.setPlaceholderText("/dev/ttyUSB0,baud=9600,address=3")
        led_note = plain_label(
            self.tr(
                "Serial port and options (baud, address, encoder), or empty for none."
                " Applies the next time the counter is opened."
            )
        )
        led_note.setWordWrap(True)
        led_layout.addWidget(self.led)
        led_layout.addWidget(led_note)

        self.error = plain_label("")
        self.error.setObjectName("settings_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = ok_cancel(self, self.tr("Save"), self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(language_box)
        layout.addWidget(keys_box)
        layout.addWidget(led_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_keys(self) -> dict[str, str]:
        """The keypad key typed for each action ("" for none), in Qt's portable text form."""
        return {
            action: edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            for action, edit in self.key_edits.items()
        }

    def problem(self) -> str:
        """Why the settings cannot be saved ("" when they can)."""
        led = self.led.text().strip()
        if led:
            try:
                parse_display(led)
            except ValueError as exc:
                return self.tr("LED display: {error}").format(error=exc)
        # One key must mean one action.
        taken = {key: action for action, key in DEFAULT_KEYS.items()}
        for action, key in self.chosen_keys().items():
            if not key:
                continue
            if key in taken:
                return self.tr("{key} is already used for “{action}”.").format(
                    key=key, action=action_label(CounterCommand(taken[key]))
                )
            taken[key] = action
        return ""

    def save(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        self.settings.language = str(self.language.currentData())
        self.settings.led_display = self.led.text().strip()
        for action, key in self.chosen_keys().items():
            self.settings.set_keypad_key(action, key)
        self.settings.qt.sync()
        self.accept()
