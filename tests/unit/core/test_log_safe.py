"""Client text is one short piece of one log line."""

from __future__ import annotations

from counter_app.core.log_safe import printable


def test_newlines_and_control_characters_cannot_start_a_forged_line() -> None:
    forged = "printer\n2026-03-02 08:00:00 INFO counter_app: admin signed in\r\x1b[2J\x00"
    safe = printable(forged)
    assert "\n" not in safe and "\r" not in safe and "\x1b" not in safe and "\x00" not in safe
    assert safe.startswith("printer\\n2026-03-02") and safe.endswith("\\r?[2J?")


def test_unicode_line_separators_and_bidi_overrides_are_replaced() -> None:
    assert printable("a\u2028b\u2029c\u202ed\x85e") == "a?b?c?d?e"


def test_ordinary_indonesian_text_is_unchanged() -> None:
    text = "Kertas habis — loket 2 (Pak Budi), 50%"
    assert printable(text) == text


def test_long_text_is_cut_with_an_ellipsis() -> None:
    assert printable("x" * 300, limit=10) == "x" * 10 + "…"
    assert printable("x" * 10, limit=10) == "x" * 10
    assert printable(None) == ""
