"""The NIK (Nomor Induk Kependudukan) checked for form, and the other identity fields.

A NIK is 16 digits: ``PP KK CC DDMMYY SSSS`` — province, regency/city, district, date of birth
(women add 40 to the day), and a serial number. Only the form is checked here (no registry is
consulted): the province code must be one that exists, regency and district codes are not
``00``, the date part must be a real calendar date in 19YY or 20YY, and the serial is not
``0000``. Names are checked for plausible characters.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid

NIK_LENGTH = 16
# Province codes (Kemendagri), including the Papua provinces formed in 2022.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip
FEMALE_DAY_OFFSET = 40
NAME_MIN, NAME_MAX = 2, 100
_SEPARATORS = re.compile(r"[\s.\-]")
_NAME_PUNCTUATION = frozenset(" .,'-")


def nik_key_id(key: bytes) -> str:
    """A key's id, stored beside each hash made with it: 16 hex digits of a hash of the key,
    so the id says which key it is without revealing it."""
    return hashlib.sha256(b"counter-app nik key id\0" + key).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class NikKeys:
    """The NIK hash keys, oldest first: the last one hashes new bookings; older ones (until
    retention has erased every hash made with them) still verify the hashes they made."""

    keys: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if not self.keys or any(len(k) < 32 for k in self.keys):
            raise ValueError("at least one NIK key, each of 32 bytes or more")

    @property
    def current(self) -> bytes:
        return self.keys[-1]

    @property
    def current_id(self) -> str:
        return nik_key_id(self.current)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(nik_key_id(k) for k in self.keys)

    def by_id(self, key_id: str | None) -> bytes | None:
        return next((k for k in self.keys if nik_key_id(k) == key_id), None)

    def digests(self, nik: Nik) -> dict[str, str]:
        """The NIK's hash under every key, by key id."""
        return {nik_key_id(k): nik.digest(k) for k in self.keys}

    def matches(self, nik: Nik, digest: str | None, key_id: str | None) -> bool:
        """Whether ``digest`` (made with key ``key_id``) is the hash of ``nik``."""
        key = self.by_id(key_id)
        if key is None or digest is None:
            return False
        return hmac.compare_digest(nik.digest(key), digest)


@dataclass(frozen=True, slots=True)
class Nik:
    digits: str

    @property
    def last4(self) -> str:
        return self.digits[-4:]

    @property
    def province(self) -> str:
        return self.digits[:2]

    def digest(self, key: bytes) -> str:
        """HMAC-SHA256 of the NIK under the server's key: what the database keeps."""
        return hmac.new(key, self.digits.encode("ascii"), hashlib.sha256).hexdigest()


def _bad(reason: str, message: str) -> Exception:
    return invalid(ErrorCode.BAD_NIK, message, reason=reason)


def _birth_date_exists(day: int, month: int, year2: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
            return True
        except ValueError:
            continue
    return False


def check_nik(text: str) -> Nik:
    """The NIK in ``text`` (spaces, dots and dashes between digits allowed), or ``bad_nik``."""
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) != NIK_LENGTH or not digits.isascii() or not digits.isdigit():
        raise _bad("length", "A NIK is exactly 16 digits.")
    if digits[:2] not in PROVINCE_CODES:
        raise _bad("region", f"{digits[:2]} is not an Indonesian province code.")
    if digits[2:4] == "00" or digits[4:6] == "00":
        raise _bad("region", "The regency and district parts of a NIK cannot be 00.")
    day, month, year2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
    if not _birth_date_exists(day, month, year2):
        raise _bad("birth_date", "The date-of-birth part of the NIK is not a real date.")
    if digits[12:] == "0000":
        raise _bad("serial", "The last four digits of a NIK cannot be 0000.")
    return Nik(digits)


def check_name(text: str) -> str:
    """A person's name: letters (any script), spaces and . , ' -; collapsed whitespace."""
    name = " ".join((text or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise invalid(ErrorCode.BAD_NAME, f"A name is {NAME_MIN} to {NAME_MAX} characters.")
    for ch in name:
        if ch in _NAME_PUNCTUATION:
            continue
        if not unicodedata.category(ch).startswith(("L", "M")):
            raise invalid(ErrorCode.BAD_NAME, "A name may only contain letters, spaces and . , ' -")
    if not any(unicodedata.category(ch).startswith("L") for ch in name):
        raise invalid(ErrorCode.BAD_NAME, "A name needs at least one letter.")
    return name


def mask_name(name: str | None) -> str:
    """``Budi Santoso`` → ``B*** S******``: enough to recognise one's own booking, no more;
    empty once the name has been erased."""
    if not name:
        return ""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
