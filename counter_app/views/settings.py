"""Settings remembered on this PC (QSettings): server address, language, keypad keys, LED."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from counter_app.views.i18n import DEFAULT_LANGUAGE

DEFAULT_SERVER = "http://127.0.0.1:8750"
ACTIONS = ("call_next", "recall", "start", "finish", "skip", "transfer")
DEFAULT_KEYS = {
    "call_next": "F1",
    "recall": "F2",
    "start": "F3",
    "finish": "F4",
    "skip": "F5",
    "transfer": "F6",
}


class AppSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.qt = settings or QSettings("counter-app", "counter-app")

    def _text(self, key: str, default: str) -> str:
        value = self.qt.value(key, default)
        return value if isinstance(value, str) and value else default

    @property
    def server_url(self) -> str:
        return self._text("server_url", DEFAULT_SERVER)

    @server_url.setter
    def server_url(self, value: str) -> None:
        self.qt.setValue("server_url", value)

    @property
    def last_username(self) -> str:
        return self._text("last_username", "")

    @last_username.setter
    def last_username(self, value: str) -> None:
        self.qt.setValue("last_username", value)

    @property
    def language(self) -> str:
        return self._text("language", DEFAULT_LANGUAGE)

    @language.setter
    def language(self, value: str) -> None:
        self.qt.setValue("language", value)

    @property
    def led_display(self) -> str:
        """The serial LED display above this PC's counter: ``PORT[,baud=…,address=…]``."""
        return self._text("led_display", "")

    @led_display.setter
    def led_display(self, value: str) -> None:
        self.qt.setValue("led_display", value)

    def keys(self) -> dict[str, list[str]]:
        """Each action's shortcuts: the function key, plus any keypad key mapped to it."""
        out: dict[str, list[str]] = {}
        for action in ACTIONS:
            extra = self.keypad_key(action)
            out[action] = [DEFAULT_KEYS[action], *([extra] if extra else [])]
        return out

    def keypad_key(self, action: str) -> str:
        """The extra key mapped to ``action`` ("" when none)."""
        return self._text(f"keypad/{action}", "")

    def set_keypad_key(self, action: str, sequence: str) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action}")
        self.qt.setValue(f"keypad/{action}", sequence)
