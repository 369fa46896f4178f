"""LED display assignments written as text, for settings and the command line.

One assignment per line (or separated by ``;``): ``COUNTER=PORT[,key=value…]`` where the keys
are ``baud``, ``address``, ``encoder``, ``width`` and ``align``, e.g.
``3=/dev/ttyUSB0,baud=9600,address=3`` or ``1=socket://10.0.0.20:4001,encoder=plain``.
A counter PC drives only its own counter's display and writes the assignment without the
``COUNTER=`` part. Bad text raises ``ValueError`` naming the line, so a typo is reported at
start, not discovered when the display stays dark.
"""

from __future__ import annotations

from .led import LedDisplay
from .led_frames import ALIGNMENTS

KEYS = ("baud", "address", "encoder", "width", "align")


def parse_display(text: str) -> LedDisplay:
    """``PORT[,key=value…]`` → the display's settings."""
    port, *options = [part.strip() for part in text.split(",")]
    values: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        key = key.strip().lower()
        if not sep or key not in KEYS:
            raise ValueError(f"unknown LED display option {option!r}; known: {', '.join(KEYS)}")
        values[key] = value.strip()
    align = values.get("align", "right")
    if align not in ALIGNMENTS:
        raise ValueError(f"LED display align must be one of {', '.join(ALIGNMENTS)}")
    try:
        return LedDisplay(
            port=port,
            baudrate=int(values.get("baud", "9600")),
            address=int(values.get("address", "1")),
            encoder=values.get("encoder", "stx-etx"),
            width=int(values.get("width", "8")),
            align=align,
        )
    except ValueError as exc:
        raise ValueError(f"LED display {text!r}: {exc}") from None


def parse_assignments(text: str) -> dict[int, LedDisplay]:
    """``COUNTER=PORT[,…]`` lines → counter number → display."""
    out: dict[int, LedDisplay] = {}
    for raw in text.replace(";", "\n").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        counter, sep, rest = line.partition("=")
        if not sep or not counter.strip().isdigit():
            raise ValueError(f"LED display line {line!r} must start with a counter number: 3=PORT")
        out[int(counter)] = parse_display(rest)
    return out
