"""The TV station's settings, kept on this PC (QSettings, group ``display``).

Set once by the technician, from the command line (``counter-app display --token … --screen 1
--no-announce``), since a TV has no keyboard user. Exactly one station per hall announces:
a counter PC that also drives the TV (``counter --with-display``) and a separate TV PC in the
same hall must not both speak, so announcing is a per-station switch (on by default).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from counter_app.core.speech import Language

DEFAULT_VOLUME = 100
DEFAULT_REPEAT = 1
MAX_REPEAT = 3


class DisplaySettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.qt = settings or QSettings("counter-app", "counter-app")

    def _get(self, key: str, default: str) -> str:
        value = self.qt.value(f"display/{key}", default)
        return value if isinstance(value, str) else default

    def _set(self, key: str, value: str) -> None:
        self.qt.setValue(f"display/{key}", value)

    @property
    def device_token(self) -> str:
        return self._get("device_token", "")

    @device_token.setter
    def device_token(self, value: str) -> None:
        self._set("device_token", value)

    @property
    def screen(self) -> str:
        return self._get("screen", "")

    @screen.setter
    def screen(self, value: str) -> None:
        self._set("screen", value)

    @property
    def announce(self) -> bool:
        return self._get("announce", "yes") == "yes"

    @announce.setter
    def announce(self, value: bool) -> None:
        self._set("announce", "yes" if value else "no")

    @property
    def volume(self) -> int:
        """0–100 per cent."""
        return _clamped_int(self._get("volume", str(DEFAULT_VOLUME)), DEFAULT_VOLUME, 0, 100)

    @volume.setter
    def volume(self, value: int) -> None:
        self._set("volume", str(min(100, max(0, value))))

    @property
    def repeat(self) -> int:
        """How many times each call is said."""
        return _clamped_int(self._get("repeat", str(DEFAULT_REPEAT)), DEFAULT_REPEAT, 1, MAX_REPEAT)

    @repeat.setter
    def repeat(self, value: int) -> None:
        self._set("repeat", str(min(MAX_REPEAT, max(1, value))))

    @property
    def speech_language(self) -> Language:
        value = self._get("speech_language", Language.INDONESIAN.value)
        return (
            Language(value) if value in {lang.value for lang in Language} else Language.INDONESIAN
        )

    @speech_language.setter
    def speech_language(self, value: Language) -> None:
        self._set("speech_language", value.value)

    @property
    def logo(self) -> Path | None:
        value = self._get("logo", "")
        return Path(value) if value else None

    @logo.setter
    def logo(self, value: Path | None) -> None:
        self._set("logo", str(value) if value else "")

    @property
    def media_folder(self) -> Path | None:
        value = self._get("media_folder", "")
        return Path(value) if value else None

    @media_folder.setter
    def media_folder(self, value: Path | None) -> None:
        self._set("media_folder", str(value) if value else "")

    @property
    def led_displays(self) -> str:
        """LED displays driven from this station: ``COUNTER=PORT[,key=value…]`` per line."""
        return self._get("led_displays", "")

    @led_displays.setter
    def led_displays(self, value: str) -> None:
        self._set("led_displays", value)


def _clamped_int(text: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(text)))
    except ValueError:
        return default
