"""Ticket text is printable ASCII, whatever the server sends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counter_app.hardware.ascii_text import one_line, to_ascii


def test_indonesian_and_typographic_text_keeps_its_meaning() -> None:
    assert to_ascii("Perekaman KTP-el") == "Perekaman KTP-el"
    assert to_ascii("Café Séance — “Loket” 1…") == 'Cafe Seance - "Loket" 1...'
    assert to_ascii("A · B • C × 2") == "A - B * C x 2"
    assert to_ascii("Straße Ærø Łódź") == "Strasse AEro Lodz"
    assert to_ascii("ｆｕｌｌｗｉｄｔｈ ２") == "fullwidth 2"


def test_printer_commands_and_unknown_characters_are_dropped() -> None:
    assert to_ascii("A\x1b@\x1dV\x00B") == "A@VB"  # ESC and GS gone: no command survives
    assert to_ascii("耐心 🙂 ok") == "  ok"
    assert one_line("  two\r\nlines\t here ") == "two lines here"


@given(st.text())
def test_the_result_is_always_printable_ascii(text: str) -> None:
    out = to_ascii(text)
    assert all(0x20 <= ord(c) <= 0x7E for c in out)
    assert one_line(text) == one_line(one_line(text))
