"""Exact announcement text: the words the hall hears must be right to the letter."""

from __future__ import annotations

import pytest

from counter_app.core.speech import (
    Language,
    announcement,
    counter_words,
    number_words,
    prefix_words,
)

INDONESIAN_NUMBERS = {
    0: "nol",
    1: "satu",
    10: "sepuluh",
    11: "sebelas",
    12: "dua belas",
    19: "sembilan belas",
    20: "dua puluh",
    21: "dua puluh satu",
    99: "sembilan puluh sembilan",
    100: "seratus",
    101: "seratus satu",
    110: "seratus sepuluh",
    111: "seratus sebelas",
    123: "seratus dua puluh tiga",
    999: "sembilan ratus sembilan puluh sembilan",
    1000: "seribu",
}


@pytest.mark.parametrize(("number", "words"), sorted(INDONESIAN_NUMBERS.items()))
def test_numbers_in_indonesian_words(number: int, words: str) -> None:
    assert number_words(number) == words


def test_the_example_from_the_design() -> None:
    assert (
        announcement("A", 123, 3)
        == "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga."
    )


LETTERS = [
    "A", "Be", "Ce", "De", "E", "Ef", "Ge", "Ha", "I", "Je", "Ka", "El", "Em",
    "En", "O", "Pe", "Ki", "Er", "Es", "Te", "U", "Fe", "We", "Eks", "Ye", "Zet",
]  # fmt: skip


@pytest.mark.parametrize(
    ("letter", "name"), list(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", LETTERS, strict=True))
)
def test_prefix_letters_by_their_indonesian_names(letter: str, name: str) -> None:
    assert prefix_words(letter) == name
    assert announcement(letter, 7, 1).startswith(f"Nomor antrean {name} tujuh,")


COUNTERS = [
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
    "sebelas", "dua belas", "tiga belas", "empat belas", "lima belas", "enam belas",
    "tujuh belas", "delapan belas", "sembilan belas", "dua puluh",
]  # fmt: skip


@pytest.mark.parametrize(("number", "words"), list(enumerate(COUNTERS, start=1)))
def test_counters_one_to_twenty(number: int, words: str) -> None:
    assert counter_words(number, f"Loket {number}") == f"loket {words}"
    assert announcement("B", 5, number).endswith(f"silakan menuju loket {words}.")


def test_custom_counter_names_keep_their_words_and_speak_digits() -> None:
    assert counter_words(7, "Ruang 2") == "Ruang dua"
    assert counter_words(7, "Meja Informasi") == "Meja Informasi"
    assert counter_words(7, "") == "loket tujuh"


def test_two_letter_prefix() -> None:
    assert prefix_words("AB") == "A Be"


def test_english_template() -> None:
    assert (
        announcement("C", 21, 12, language=Language.ENGLISH)
        == "Ticket number C twenty one, please proceed to counter twelve."
    )


def test_negative_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="never negative"):
        number_words(-1)
