"""The printed ticket as data: a pure function from a ticket to a list of printer commands.

Nothing here talks to a printer. :func:`ticket_commands` lays a ticket out as a few simple
commands (style, line, feed, QR code, cut); :func:`render` plays them on any python-escpos
printer, and :func:`to_bytes` plays them on python-escpos's ``Dummy`` printer to get the exact
bytes (the golden-file tests compare those). Every text passes through :func:`one_line`, so a
ticket is printable ASCII whatever the server sends (see ``ascii_text``).

Layout, top to bottom: office name (bold) and address; "queue number" and the number in
4×4 size; the service (double height) and the priority class; date and time in the branch's
zone (id-ID: ``Senin, 2 Juni 2025``, ``14.05 WIB``); people ahead and the estimated wait; the
QR code of the ticket's status page, with its address written under it; a short footer; cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from escpos.printer import Dummy

from counter_app.core import calendar_id
from counter_app.core.calendar_id import clock, long_date
from counter_app.core.estimates import range_minutes
from counter_app.hardware.ascii_text import one_line

Align = Literal["left", "center", "right"]
DEFAULT_COLUMNS = 42  # font A on 80 mm paper; 58 mm paper has 32
MIN_COLUMNS = 16


# --- the commands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Text style for the following lines; ``size`` multiplies width and height (1..8)."""

    align: Align = "left"
    bold: bool = False
    width: int = 1
    height: int = 1

    def __post_init__(self) -> None:
        if not (1 <= self.width <= 8 and 1 <= self.height <= 8):
            raise ValueError("text size must be 1..8")


@dataclass(frozen=True)
class Line:
    text: str  # already printable ASCII and short enough for the paper


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class QrCode:
    content: str
    size: int = 6  # module size in dots (1..16)


@dataclass(frozen=True)
class Cut:
    pass


Command = Style | Line | Feed | QrCode | Cut


# --- what goes on a ticket ------------------------------------------------------------------


@dataclass(frozen=True)
class TicketLabels:
    """The fixed words of a ticket, in the kiosk's language (it passes them in translated)."""

    heading: str = "NOMOR ANTREAN"
    priority: str = "Prioritas: {name}"
    date: str = "Tanggal: {date}"
    time: str = "Jam: {time}"
    ahead: str = "Antrean di depan Anda: {n}"
    wait: str = "Perkiraan waktu tunggu: {minutes} menit"
    wait_range: str = "Perkiraan waktu tunggu: {low}-{high} menit"
    no_wait: str = "Perkiraan waktu tunggu: -"
    scan: str = "Pindai untuk melihat status antrean:"
    footer: str = "Mohon menunggu panggilan. Terima kasih."


@dataclass(frozen=True)
class TicketPrint:
    """The ticket as printed; built by the kiosk from the server's answer."""

    office: str
    service: str
    number: str
    issued_at: datetime  # aware
    timezone: str  # the branch's zone, e.g. Asia/Jakarta
    status_url: str
    address: str = ""
    priority_class: str = ""
    ahead: int | None = None
    wait_seconds: int | None = None
    # The range most waits fall in (TicketOut.wait_low_seconds/wait_high_seconds).
    wait_low_seconds: int | None = None
    wait_high_seconds: int | None = None


def local_date_time(moment: datetime, zone: str) -> tuple[str, str]:
    """(``Senin, 2 Juni 2025``, ``14.05 WIB``) for an aware moment in the branch's zone."""
    if moment.tzinfo is None:
        raise ValueError("the ticket's time must be timezone-aware")
    # Indonesian (id-ID) whatever the window's language: the ticket is for the citizen, and
    # the branch's clock is what the office runs on.
    local = moment.astimezone(ZoneInfo(zone))
    name = calendar_id.zone_abbreviation(zone) or local.tzname() or ""
    return long_date(local.date()), f"{clock(local, zone)} {name}".rstrip()


def wait_minutes(seconds: int) -> int:
    """Whole minutes, rounded up (a promise of "0 minutes" helps nobody), at least 1."""
    return max(1, -(-seconds // 60))


def wrapped(text: str, columns: int) -> list[str]:
    clean = one_line(text)
    if not clean:
        return []
    return textwrap.wrap(clean, max(1, columns), break_long_words=True) or [clean]


def ticket_commands(
    ticket: TicketPrint, labels: TicketLabels | None = None, columns: int = DEFAULT_COLUMNS
) -> list[Command]:
    """The ticket laid out for paper ``columns`` characters wide (font A)."""
    labels = labels or TicketLabels()
    columns = max(MIN_COLUMNS, columns)
    out: list[Command] = [Style(align="center", bold=True)]
    out += [Line(s) for s in wrapped(ticket.office, columns)]
    out.append(Style(align="center"))
    out += [Line(s) for s in wrapped(ticket.address, columns)]
    out.append(Feed())
    out += [Line(s) for s in wrapped(labels.heading, columns)]
    # 4x4 fits "A-123" (5 characters = 20 columns) even on 58 mm paper.
    big = 4 if len(one_line(ticket.number)) * 4 <= columns else 2
    out.append(Style(align="center", bold=True, width=big, height=big))
    out += [Line(s) for s in wrapped(ticket.number, columns // big)]
    out.append(Style(align="center", bold=True, height=2))
    out += [Line(s) for s in wrapped(ticket.service, columns)]
    out.append(Style(align="center"))
    if ticket.priority_class:
        text = labels.priority.format(name=ticket.priority_class)
        out += [Line(s) for s in wrapped(text, columns)]
    out.append(Feed())
    date, time = local_date_time(ticket.issued_at, ticket.timezone)
    out.append(Style(align="left"))
    lines = [labels.date.format(date=date), labels.time.format(time=time)]
    if ticket.ahead is not None:
        lines.append(labels.ahead.format(n=ticket.ahead))
    if ticket.wait_low_seconds is not None and ticket.wait_high_seconds is not None:
        low, high = range_minutes(ticket.wait_low_seconds, ticket.wait_high_seconds)
        lines.append(labels.wait_range.format(low=low, high=high))
    elif ticket.wait_seconds is not None:
        lines.append(labels.wait.format(minutes=wait_minutes(ticket.wait_seconds)))
    else:
        lines.append(labels.no_wait)
    for text in lines:
        out += [Line(s) for s in wrapped(text, columns)]
    url = one_line(ticket.status_url)
    if url:
        out.append(Feed())
        out.append(Style(align="center"))
        out += [Line(s) for s in wrapped(labels.scan, columns)]
        out.append(QrCode(url))
        out += [Line(s) for s in wrapped(url, columns)]
    out.append(Feed())
    out.append(Style(align="center"))
    out += [Line(s) for s in wrapped(labels.footer, columns)]
    out.append(Cut())
    return out


def check_page_commands(lines: Sequence[str], qr_content: str, columns: int) -> list[Command]:
    """A short page to check a printer: the given lines, a ruler, a QR code, a cut."""
    columns = max(MIN_COLUMNS, columns)
    out: list[Command] = [Style(align="center", bold=True, width=2, height=2)]
    out.append(Line("TEST"))
    out.append(Style(align="left"))
    for text in lines:
        out += [Line(s) for s in wrapped(text, columns)]
    out.append(Line(("1234567890" * (columns // 10 + 1))[:columns]))
    out.append(Style(align="center"))
    out.append(QrCode(one_line(qr_content)))
    out.append(Cut())
    return out


# --- playing the commands on a printer ------------------------------------------------------


def render(commands: Sequence[Command], printer: Any, *, native_qr: bool) -> None:
    """Send ``commands`` to a python-escpos printer (opened or openable).

    Lines go out as raw ASCII bytes: no code-page switching, which some printers misread.
    A QR code is the printer's own (``GS ( k``) where ``native_qr``, otherwise an image.
    """
    printer.hw("INIT")
    for command in commands:
        match command:
            case Style(align=align, bold=bold, width=width, height=height):
                if width == 1 and height == 1:
                    printer.set(align=align, bold=bold, normal_textsize=True)
                else:
                    printer.set(
                        align=align, bold=bold, custom_size=True, width=width, height=height
                    )
            case Line(text=text):
                printer._raw(one_line(text).encode("ascii") + b"\n")
            case Feed(lines=lines):
                printer._raw(b"\n" * lines)
            case QrCode(content=content, size=size):
                if native_qr:
                    printer.qr(content, size=size, native=True)
                    printer._raw(b"\n")
                else:
                    # Centred by the printer's alignment, or by padding the image where the
                    # profile knows the paper's width in dots.
                    center = _pixel_width(printer) is not None
                    printer.qr(content, size=size, native=False, center=center)
            case Cut():
                printer.cut()


def _pixel_width(printer: Any) -> int | None:
    try:
        pixels = printer.profile.profile_data["media"]["width"]["pixels"]
    except (AttributeError, KeyError, TypeError):
        return None
    return pixels if isinstance(pixels, int) else None


def to_bytes(commands: Sequence[Command], *, profile: str = "default", native_qr: bool) -> bytes:
    """The exact bytes ``commands`` make on a printer of ``profile``."""
    dummy = Dummy(profile=profile)
    render(commands, dummy, native_qr=native_qr)
    data: bytes = dummy.output
    dummy.close()
    return data
