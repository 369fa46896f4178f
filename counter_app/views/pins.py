"""The station's pinned server certificates, kept in its settings (QSettings).

client/pinning.py decides what to trust; this keeps what it learnt across restarts, one
fingerprint per server address, under ``tls_pins/`` in the same settings as the server
address and language. ``counter-app tls forget ADDRESS`` removes one.
"""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtCore import QSettings

from counter_app.client.pinning import use_pin_store

GROUP = "tls_pins"


class SettingsPins:
    """A :class:`counter_app.client.pinning.PinStore` in QSettings."""

    def __init__(self, settings: QSettings) -> None:
        self.qt = settings

    @staticmethod
    def _key(address: str) -> str:
        # QSettings treats "/" and ":" specially in keys; keep the address readable.
        return f"{GROUP}/{quote(address, safe='')}"

    def pinned(self, address: str) -> str | None:
        value = self.qt.value(self._key(address))
        return value if isinstance(value, str) and value else None

    def pin(self, address: str, fingerprint: str) -> None:
        self.qt.setValue(self._key(address), fingerprint)
        self.qt.sync()

    def forget(self, address: str) -> None:
        self.qt.remove(self._key(address))
        self.qt.sync()


def station_pins(settings: QSettings | None = None) -> SettingsPins:
    """The pins of this station (its usual settings unless ``settings`` is given)."""
    return SettingsPins(settings or QSettings("counter-app", "counter-app"))


def use_station_pins(settings: QSettings | None = None) -> None:
    """Clients made from now on pin certificates in this station's settings."""
    use_pin_store(station_pins(settings))
