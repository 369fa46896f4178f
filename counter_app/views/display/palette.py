"""Every colour on the waiting-room TV, and which text is drawn on which background.

One module, so the contrast can be checked where the colours are chosen: ``TEXT_PAIRS`` lists
each text colour with the background it sits on and the contrast it needs (WCAG 2 AA, 4.5:1,
for all text; 7:1, AAA, for the number being called). ``tests/gui/test_display_readability.py``
computes the ratios from here and checks that the TV's stylesheets use no other colour.

The fresh call used to be white on amber (1.97:1) during its highlight; it is now the night
blue of the hall on amber, so the highlight is the most readable moment, not the least.
"""

from __future__ import annotations

from dataclasses import dataclass

HALL = "#06162c"  # the window's background
PANEL = "#0d2c54"  # the panels (call, recent calls, waiting)
TILE = "#163d6e"  # a counter's tile
HIGHLIGHT = "#f9a825"  # the call panel during the highlight of a fresh call
TEXT = "#ffffff"  # text on the dark backgrounds
TEXT_ON_HIGHLIGHT = HALL  # text on the amber highlight
RUNNING_TEXT = "#ffe082"  # the supervisor's running text, on the hall
NOTICE = "#ffb4a9"  # the reconnecting note on the hall; "missed" in the recent calls
ON_BREAK = "#ffe082"  # "On break" on a counter's tile

AA = 4.5
AAA = 7.0


@dataclass(frozen=True)
class TextPair:
    what: str
    text: str
    background: str
    minimum: float


TEXT_PAIRS = (
    TextPair("call number", TEXT, PANEL, AAA),
    TextPair("call number, highlighted", TEXT_ON_HIGHLIGHT, HIGHLIGHT, AAA),
    TextPair("call panel text", TEXT, PANEL, AA),
    TextPair("call panel text, highlighted", TEXT_ON_HIGHLIGHT, HIGHLIGHT, AA),
    TextPair("header", TEXT, HALL, AA),
    TextPair("counter tile", TEXT, TILE, AA),
    TextPair("counter on break", ON_BREAK, TILE, AA),
    TextPair("recent calls and waiting", TEXT, PANEL, AA),
    TextPair("missed call", NOTICE, PANEL, AA),
    TextPair("running text", RUNNING_TEXT, HALL, AA),
    TextPair("reconnecting note", NOTICE, HALL, AA),
    TextPair("simulation band", TEXT_ON_HIGHLIGHT, HIGHLIGHT, AA),
)
COLOURS = frozenset(
    {HALL, PANEL, TILE, HIGHLIGHT, TEXT, TEXT_ON_HIGHLIGHT, RUNNING_TEXT, NOTICE, ON_BREAK}
)


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio, 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
