"""Text a receipt printer prints the same everywhere: printable ASCII only.

Code pages differ from printer to printer (and a wrong one prints garbage), but every ESC/POS
printer prints the 95 printable ASCII characters alike. Indonesian needs nothing else, so
names with accents lose them (``Séance`` → ``Seance``), typographic punctuation becomes its
plain form (``—`` → ``-``, ``“”`` → ``"``, ``…`` → ``...``) and anything left is dropped.
Control characters are dropped too: text from the server can never smuggle a printer command
(ESC, GS) into a ticket.
"""

from __future__ import annotations

import unicodedata

# Characters whose compatibility decomposition gives nothing printable, mapped by hand.
_PLAIN = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u00b7": "-",  # middle dot
    "\u2022": "*",  # bullet
    "\u00d7": "x",
    "\u00a0": " ",  # no-break space
    "\u2007": " ",
    "\u202f": " ",
    "\t": " ",
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0131": "i",
    "\u0141": "L",
    "\u0142": "l",
    "\u20ac": "EUR",
    "\u00b0": " ",
}


def to_ascii(text: str) -> str:
    """``text`` as printable ASCII (0x20..0x7E): transliterated where possible, else dropped."""
    out: list[str] = []
    for char in text:
        if " " <= char <= "~":
            out.append(char)
            continue
        if char in _PLAIN:
            out.append(_PLAIN[char])
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        out.extend(c for c in decomposed if " " <= c <= "~")
    return "".join(out)


def one_line(text: str) -> str:
    """ASCII with runs of spaces (line breaks included) folded into one and the ends trimmed."""
    return " ".join(to_ascii(text.replace("\r", " ").replace("\n", " ")).split())
