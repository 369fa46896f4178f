"""The kiosk's settings on this PC (QSettings, group ``kiosk``): server, device token, public
address for the QR code, idle time, admin PIN (argon2 hash only) and the printer.

The PIN guards leaving a fullscreen kiosk in a public hall, so it resists guessing: at least
``MIN_PIN_LENGTH`` digits, and after ``PIN_TRIES`` wrong tries the admin side is locked for
``PIN_LOCK_SECONDS``. The count and the lock are kept in the settings file (with the wall
clock: a restart does not lift the lock)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from PySide6.QtCore import QSettings

from counter_app.hardware.printer import PrinterSettings
from counter_app.views.settings import DEFAULT_SERVER, AppSettings

log = logging.getLogger(__name__)
DEFAULT_IDLE_SECONDS = 30
MIN_IDLE_SECONDS = 10
MAX_IDLE_SECONDS = 600
MIN_PIN_LENGTH = 6
PIN_TRIES = 5
PIN_LOCK_SECONDS = 300
_hasher = PasswordHasher()


class KioskSettings:
    def __init__(
        self,
        settings: AppSettings | QSettings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.clock = clock
        if isinstance(settings, AppSettings):
            self.qt = settings.qt
        else:
            self.qt = settings or AppSettings().qt

    def _text(self, key: str, default: str = "") -> str:
        value = self.qt.value(f"kiosk/{key}", default)
        return value if isinstance(value, str) and value else default

    def _set(self, key: str, value: object) -> None:
        self.qt.setValue(f"kiosk/{key}", value)

    def _int(self, key: str, default: int) -> int:
        try:
            return int(str(self.qt.value(f"kiosk/{key}", default)))
        except ValueError:
            return default

    @property
    def server_url(self) -> str:
        return self._text("server_url", DEFAULT_SERVER)

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._set("server_url", value.strip().rstrip("/"))

    @property
    def device_token(self) -> str:
        return self._text("device_token")

    @device_token.setter
    def device_token(self, value: str) -> None:
        self._set("device_token", value.strip())

    @property
    def public_base_url(self) -> str:
        """Where citizens' phones reach the ticket status page; the server URL by default."""
        return self._text("public_base_url") or self.server_url

    @public_base_url.setter
    def public_base_url(self, value: str) -> None:
        self._set("public_base_url", value.strip().rstrip("/"))

    @property
    def custom_public_base_url(self) -> str:
        """The address set for the QR code ("" when it follows the server address)."""
        return self._text("public_base_url")

    @property
    def idle_seconds(self) -> int:
        value = self._int("idle_seconds", DEFAULT_IDLE_SECONDS)
        return min(MAX_IDLE_SECONDS, max(MIN_IDLE_SECONDS, value))

    @idle_seconds.setter
    def idle_seconds(self, value: int) -> None:
        self._set("idle_seconds", min(MAX_IDLE_SECONDS, max(MIN_IDLE_SECONDS, int(value))))

    # --- the admin PIN: only its argon2 hash is kept ---

    @property
    def has_pin(self) -> bool:
        return bool(self._text("pin_hash"))

    def set_pin(self, pin: str) -> None:
        if len(pin) < MIN_PIN_LENGTH or not pin.isdigit():
            raise ValueError(f"the PIN needs at least {MIN_PIN_LENGTH} digits")
        self._set("pin_hash", _hasher.hash(pin))

    def pin_locked_seconds(self) -> int:
        """Seconds until the PIN may be tried again (0: it may be tried now)."""
        until = self._int("pin_locked_until", 0)
        left = until - self.clock()
        if left > PIN_LOCK_SECONDS:  # the clock was set back: lock for the full time from now
            self._set("pin_locked_until", int(self.clock()) + PIN_LOCK_SECONDS)
            self.qt.sync()
            left = PIN_LOCK_SECONDS
        return max(0, int(left + 0.999))

    def check_pin(self, pin: str) -> bool:
        """Whether ``pin`` is the admin PIN. Refused without a check while locked; a wrong
        one counts towards the lock, a right one clears the count."""
        stored = self._text("pin_hash")
        if not stored or not pin or self.pin_locked_seconds() > 0:
            return False
        try:
            right = bool(_hasher.verify(stored, pin))
        except (VerificationError, InvalidHashError):
            right = False
        failures = 0 if right else self._int("pin_failures", 0) + 1
        if failures >= PIN_TRIES:
            self._set("pin_locked_until", int(self.clock()) + PIN_LOCK_SECONDS)
            failures = 0
            log.warning("kiosk admin PIN locked after %d wrong tries", PIN_TRIES)
        self._set("pin_failures", failures)
        self.qt.sync()
        return right

    # --- the printer ---

    def printer(self) -> PrinterSettings:
        """The saved printer, or none when the saved values do not make a valid printer."""
        try:
            return PrinterSettings(
                connection=self._text("printer/connection", "none"),  # type: ignore[arg-type]
                target=self._text("printer/target"),
                baudrate=self._int("printer/baudrate", 9600),
                profile=self._text("printer/profile", "default"),
                qr=self._text("printer/qr", "auto"),  # type: ignore[arg-type]
                status_checks=self._text("printer/status_checks", "true") == "true",
            )
        except ValueError as exc:
            log.warning("kiosk printer settings are not valid (%s); printing is off", exc)
            return PrinterSettings()

    def set_printer(self, printer: PrinterSettings) -> None:
        self._set("printer/connection", printer.connection)
        self._set("printer/target", printer.target)
        self._set("printer/baudrate", printer.baudrate)
        self._set("printer/profile", printer.profile)
        self._set("printer/qr", printer.qr)
        self._set("printer/status_checks", "true" if printer.status_checks else "false")
