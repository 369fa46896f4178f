"""Text from a client made safe to write into a log line.

A device's fault message, a user name or a ticket note is typed by someone outside the
server. Written to a log as is, a ``\\n`` in it starts a forged log line ("… INFO admin
signed in"), and terminal escape sequences can rewrite what an administrator's terminal
shows. ``printable`` replaces every control character (C0, DEL, C1, and the Unicode line and
paragraph separators) with ``?`` — or its escape — and cuts the text to ``limit``
characters, so one client value is always one short piece of one log line.
"""

from __future__ import annotations

import unicodedata

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
ELLIPSIS = "…"


def _safe_char(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    # Cc: control characters; Zl/Zp: line/paragraph separators; Cf covers bidi overrides
    # that can reorder what a reader sees.
    if unicodedata.category(char) in {"Cc", "Zl", "Zp", "Cf"}:
        return "?"
    return char


def printable(text: object, limit: int = 200) -> str:
    """``text`` (any value; ``str()`` of it) on one line, without control characters, at
    most ``limit`` characters (plus ``…`` when cut)."""
    raw = "" if text is None else str(text)
    cut = len(raw) > limit
    safe = "".join(_safe_char(char) for char in raw[:limit])
    return safe + ELLIPSIS if cut else safe
