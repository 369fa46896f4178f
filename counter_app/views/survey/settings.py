"""The counter survey screen's settings, kept on this PC (QSettings, group ``survey``).

Set once by the technician from the command line (``counter-app survey-tablet --token …
--counter 3 --screen 1``). The screen signs in with a **display device token** of the branch:
it only reads the branch's events and sends answers, which is exactly what a display may do,
it does not expire (a tablet has nobody to sign in each morning), and it can call no ticket.
A counter PC that already drives the TV (``counter --with-display``) has one: it is used when
no token of the survey screen's own is set.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

DEFAULT_FORM_SECONDS = 120  # an unanswered form goes back to the idle screen after this
DEFAULT_THANKS_SECONDS = 8  # how long "thank you" stays after an answer


class SurveySettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.qt = settings or QSettings("counter-app", "counter-app")

    def _get(self, key: str, default: str = "") -> str:
        value = self.qt.value(f"survey/{key}", default)
        return value if isinstance(value, str) else default

    def _set(self, key: str, value: str) -> None:
        self.qt.setValue(f"survey/{key}", value)

    @property
    def device_token(self) -> str:
        """The survey screen's own token, else the TV station's of this PC ("" if neither)."""
        own = self._get("device_token")
        if own:
            return own
        display = self.qt.value("display/device_token", "")
        return display if isinstance(display, str) else ""

    @device_token.setter
    def device_token(self, value: str) -> None:
        self._set("device_token", value)

    @property
    def counter(self) -> int | None:
        """The number of the counter (loket) whose finished tickets are surveyed here."""
        text = self._get("counter")
        return int(text) if text.isdigit() and int(text) > 0 else None

    @counter.setter
    def counter(self, value: int) -> None:
        if value < 1:
            raise ValueError("a counter number starts at 1")
        self._set("counter", str(value))

    @property
    def screen(self) -> str:
        return self._get("screen")

    @screen.setter
    def screen(self, value: str) -> None:
        self._set("screen", value)

    @property
    def form_seconds(self) -> int:
        return _clamped(self._get("form_seconds"), DEFAULT_FORM_SECONDS, 15, 900)

    @form_seconds.setter
    def form_seconds(self, value: int) -> None:
        self._set("form_seconds", str(value))

    @property
    def thanks_seconds(self) -> int:
        return _clamped(self._get("thanks_seconds"), DEFAULT_THANKS_SECONDS, 2, 60)

    @thanks_seconds.setter
    def thanks_seconds(self, value: int) -> None:
        self._set("thanks_seconds", str(value))


def _clamped(text: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(text)))
    except ValueError:
        return default
