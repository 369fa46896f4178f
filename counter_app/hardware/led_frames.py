"""Frames for serial LED counter displays: pure functions from (address, text) to bytes.

There is no industry standard for these displays, so the frame format is pluggable: anything
with ``encode(address, text) -> bytes`` is a :class:`FrameEncoder`, and :data:`ENCODERS` maps a
settings name to a factory. Two encoders ship:

``stx-etx`` (the default, :class:`StxEtxEncoder`)::

    STX  ADDR_HI ADDR_LO  TEXT[width]  ETX  CHK_HI CHK_LO
    0x02 two ASCII hex     ASCII        0x03 two ASCII hex digits (upper case)
         digits (00..FF)

* ``ADDR`` is the display's bus address 0..255 as two upper-case ASCII hex digits
  (RS-485 lets several displays share one line; each ignores frames for other addresses).
* ``TEXT`` is exactly ``width`` ASCII bytes: characters outside printable ASCII
  (0x20..0x7E, so also STX/ETX/CR) become ``?``; shorter text is padded with spaces
  (right-aligned by default; ``left`` and ``center`` are available); longer text is cut to its
  first ``width`` characters.
* ``CHK`` is the XOR of every byte from the first address digit through ETX inclusive
  (STX is not included), written as two upper-case ASCII hex digits.

Worked example — address 3, text ``"A-123"``, width 8, right-aligned::

    02 | 30 33 | 20 20 20 41 2D 31 32 33 | 03 | 37 43
    STX  "0" "3"  " " " " " " "A" "-" "1" "2" "3"  ETX  "7" "C"

    checksum = 30^33^20^20^20^41^2D^31^32^33^03 = 0x7C  ->  "7C"

so the frame is ``b"\\x0203   A-123\\x037C"`` (14 bytes).

``plain`` (:class:`PlainEncoder`): the sanitised, padded text followed by CR (0x0D); the
address is checked but not sent. For displays that simply show each line they receive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

STX = 0x02
ETX = 0x03
CR = 0x0D
DEFAULT_WIDTH = 8
DEFAULT_ENCODER = "stx-etx"

Align = Literal["right", "left", "center"]
ALIGNMENTS: tuple[Align, ...] = ("right", "left", "center")


class FrameEncoder(Protocol):
    """Turns the text for one display into the bytes sent on the serial line."""

    def encode(self, address: int, text: str) -> bytes: ...


def check_address(address: int) -> int:
    """The address if it is a whole number 0..255, otherwise ValueError."""
    if isinstance(address, bool) or not isinstance(address, int) or not 0 <= address <= 255:
        raise ValueError(f"LED display address must be an integer 0..255, got {address!r}")
    return address


def ascii_text(text: str, width: int, align: Align = "right") -> bytes:
    """Printable ASCII of exactly ``width`` bytes: others become '?', padded or cut."""
    if width < 1:
        raise ValueError(f"LED display width must be at least 1, got {width}")
    clean = "".join(ch if 0x20 <= ord(ch) <= 0x7E else "?" for ch in text)[:width]
    if align == "right":
        clean = clean.rjust(width)
    elif align == "left":
        clean = clean.ljust(width)
    elif align == "center":
        clean = clean.center(width)
    else:
        raise ValueError(f"alignment must be one of {', '.join(ALIGNMENTS)}, got {align!r}")
    return clean.encode("ascii")


def xor_checksum(data: bytes) -> int:
    """XOR of all bytes (0 for none)."""
    result = 0
    for byte in data:
        result ^= byte
    return result


@dataclass(frozen=True)
class StxEtxEncoder:
    """The default frame: STX, address (2 hex), text, ETX, XOR checksum (2 hex)."""

    width: int = DEFAULT_WIDTH
    align: Align = "right"

    def __post_init__(self) -> None:
        ascii_text("", self.width, self.align)  # validates width and alignment

    def encode(self, address: int, text: str) -> bytes:
        body = f"{check_address(address):02X}".encode("ascii")
        body += ascii_text(text, self.width, self.align) + bytes([ETX])
        return bytes([STX]) + body + f"{xor_checksum(body):02X}".encode("ascii")


@dataclass(frozen=True)
class PlainEncoder:
    """Text followed by CR; the address is validated but not sent."""

    width: int = DEFAULT_WIDTH
    align: Align = "right"

    def __post_init__(self) -> None:
        ascii_text("", self.width, self.align)

    def encode(self, address: int, text: str) -> bytes:
        check_address(address)
        return ascii_text(text, self.width, self.align) + bytes([CR])


EncoderFactory = Callable[[int, Align], FrameEncoder]

ENCODERS: dict[str, EncoderFactory] = {
    "stx-etx": StxEtxEncoder,
    "plain": PlainEncoder,
}


def make_encoder(
    name: str = DEFAULT_ENCODER, width: int = DEFAULT_WIDTH, align: Align = "right"
) -> FrameEncoder:
    """The encoder registered under ``name``; ValueError naming the known ones otherwise."""
    try:
        factory = ENCODERS[name]
    except KeyError:
        known = ", ".join(sorted(ENCODERS))
        raise ValueError(f"unknown LED frame encoder {name!r}; known: {known}") from None
    return factory(width, align)
