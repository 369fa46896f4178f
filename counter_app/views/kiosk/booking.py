"""Booking codes as a scanner or a finger gives them: normalised before they are sent."""

from __future__ import annotations

import re

_ALLOWED = re.compile(r"[^A-Z0-9\-]")
MAX_CODE = 64


def booking_code(text: str) -> str:
    """The code in what was scanned or typed: a bare code, or the last part of an address
    (``https://…/b/K7M2Q9XA?x=1`` → ``K7M2Q9XA``); upper case, letters, digits and dashes."""
    text = text.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    return _ALLOWED.sub("", text.upper())[:MAX_CODE]
