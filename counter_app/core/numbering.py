"""Ticket numbers: prefix + daily sequence per service, per service day in the branch's zone.

The service day is the calendar date in the branch's own time zone (WIB, WITA or WIT), so a
Jayapura branch starts its day two hours before a Jakarta one. Numbers restart each service
day and are never reused within one.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid

INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
PREFIX_PATTERN = re.compile(r"^[A-Z]{1,3}$")
NUMBER_WIDTH = 3


def service_day(moment: datetime, zone: str) -> date:
    """The branch-local calendar date of an aware ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("service_day needs an aware datetime")
    return moment.astimezone(ZoneInfo(zone)).date()


def format_number(prefix: str, number: int) -> str:
    """``A-007``: the number as printed on the ticket and shown on screens."""
    return f"{prefix}-{number:0{NUMBER_WIDTH}d}"


def parse_number(text: str) -> tuple[str, int]:
    """Read ``A-007``, ``a7`` or ``A 007`` back into (prefix, number)."""
    match = re.fullmatch(r"\s*([A-Za-z]{1,3})[\s-]*0*(\d{1,6})\s*", text)
    if not match:
        raise invalid(
            ErrorCode.BAD_TICKET_NUMBER, f"{text!r} is not a ticket number such as A-007."
        )
    return match.group(1).upper(), int(match.group(2))


def check_prefix(prefix: str) -> str:
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise invalid(
            ErrorCode.BAD_PREFIX, "A service prefix is 1 to 3 capital letters, such as A."
        )
    return prefix


def check_zone(zone: str) -> str:
    if zone not in INDONESIAN_ZONES:
        raise invalid(
            ErrorCode.BAD_TIMEZONE,
            f"Time zone must be one of {', '.join(INDONESIAN_ZONES)}.",
        )
    return zone
