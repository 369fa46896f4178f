"""LED display frames, byte for byte (golden frames worked out by hand)."""

from __future__ import annotations

import pytest

from counter_app.hardware.led_frames import (
    ENCODERS,
    PlainEncoder,
    StxEtxEncoder,
    make_encoder,
    xor_checksum,
)


def test_default_frame_for_address_3_a_123() -> None:
    # 30^33 = 03; ^20^20^20 = 23; ^41 = 62; ^2D = 4F; ^31 = 7E; ^32 = 4C; ^33 = 7F; ^03 = 7C
    expected = (
        b"\x02"  # STX
        b"03"  # address 3
        b"   A-123"  # width 8, right-aligned
        b"\x03"  # ETX
        b"7C"  # XOR of address..ETX
    )
    assert StxEtxEncoder().encode(3, "A-123") == expected
    assert len(expected) == 1 + 2 + 8 + 1 + 2


def test_default_frame_address_255_width_4() -> None:
    # 46^46 = 00; ^20 = 20; ^42 = 62; ^2D = 4F; ^37 = 78; ^03 = 7B
    assert StxEtxEncoder(width=4).encode(255, "B-7") == b"\x02FF B-7\x037B"


def test_address_zero_and_hex_is_upper_case() -> None:
    frame = StxEtxEncoder(width=2).encode(0xAB, "Z")
    # 41^42 = 03; ^20 = 23; ^5A = 79; ^03 = 7A
    assert frame == b"\x02AB Z\x037A"
    assert StxEtxEncoder(width=1).encode(0, "1")[:3] == b"\x0200"


def test_checksum_is_xor_from_address_through_etx() -> None:
    frame = StxEtxEncoder(width=6).encode(17, "C-042")
    body, check = frame[1:-2], frame[-2:]
    assert body.endswith(b"\x03")
    assert int(check, 16) == xor_checksum(body)
    assert xor_checksum(b"") == 0


def test_non_ascii_and_control_characters_become_question_marks() -> None:
    enc = StxEtxEncoder(width=6)
    assert enc.encode(1, "Ä-1é")[3:9] == b"  ?-1?"
    # STX/ETX inside the text must not break the framing
    assert enc.encode(1, "\x02\x03\r")[3:9] == b"   ???"
    assert PlainEncoder(width=5).encode(1, "Lokét") == b"Lok?t\r"


@pytest.mark.parametrize(
    ("align", "text"),
    [("right", b"    A-1"), ("left", b"A-1    "), ("center", b"  A-1  ")],
)
def test_alignment(align: str, text: bytes) -> None:
    enc = make_encoder("stx-etx", 7, align)  # type: ignore[arg-type]
    assert enc.encode(1, "A-1")[3:10] == text


def test_long_text_is_cut_to_width_and_empty_is_blank() -> None:
    enc = StxEtxEncoder(width=4)
    assert enc.encode(2, "A-12345")[3:7] == b"A-12"
    assert enc.encode(2, "")[3:7] == b"    "
    assert len(enc.encode(2, "x" * 100)) == 1 + 2 + 4 + 1 + 2


@pytest.mark.parametrize("address", [-1, 256, 1000, 1.5, True])
def test_bad_address_is_refused(address: object) -> None:
    with pytest.raises(ValueError, match=r"0\.\.255"):
        StxEtxEncoder().encode(address, "A-1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"0\.\.255"):
        PlainEncoder().encode(address, "A-1")  # type: ignore[arg-type]


def test_bad_width_and_alignment_are_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        StxEtxEncoder(width=0)
    with pytest.raises(ValueError, match="alignment"):
        StxEtxEncoder(align="middle")  # type: ignore[arg-type]


def test_plain_encoder_is_text_and_cr() -> None:
    assert PlainEncoder(width=6).encode(9, "A-123") == b" A-123\r"


def test_registry() -> None:
    assert set(ENCODERS) == {"stx-etx", "plain"}
    assert make_encoder() == StxEtxEncoder()
    assert make_encoder("plain", 3).encode(1, "B-2") == b"B-2\r"
    with pytest.raises(
        ValueError, match=r"unknown LED frame encoder 'nope'; known: plain, stx-etx"
    ):
        make_encoder("nope")
