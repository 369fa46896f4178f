"""What the hall hears when a ticket is called.

"Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga." Numbers are spoken in
words (num2words), prefix letters by their Indonesian names (A, Be, Ce, De …) so the voice
does not spell them the English way, and digits inside counter names are spoken as words
("Ruang 2" → "Ruang dua"). Templates per language; Indonesian is the default.
"""

from __future__ import annotations

import re
from enum import StrEnum

from num2words import num2words


class Language(StrEnum):
    INDONESIAN = "id"
    ENGLISH = "en"


# The Indonesian names of the Latin letters (Kamus Besar Bahasa Indonesia).
INDONESIAN_LETTERS = {
    "A": "A", "B": "Be", "C": "Ce", "D": "De", "E": "E", "F": "Ef", "G": "Ge", "H": "Ha",
    "I": "I", "J": "Je", "K": "Ka", "L": "El", "M": "Em", "N": "En", "O": "O", "P": "Pe",
    "Q": "Ki", "R": "Er", "S": "Es", "T": "Te", "U": "U", "V": "Fe", "W": "We", "X": "Eks",
    "Y": "Ye", "Z": "Zet",
}  # fmt: skip

TEMPLATES = {
    Language.INDONESIAN: "Nomor antrean {prefix} {number}, silakan menuju {counter}.",
    Language.ENGLISH: "Ticket number {prefix} {number}, please proceed to {counter}.",
}
COUNTER_WORD = {Language.INDONESIAN: "loket", Language.ENGLISH: "counter"}
_DEFAULT_COUNTER_NAME = re.compile(r"^\s*(loket|counter)\s*\d+\s*$", re.IGNORECASE)


def number_words(number: int, language: Language = Language.INDONESIAN) -> str:
    if number < 0:
        raise ValueError("ticket and counter numbers are never negative")
    words: str = num2words(number, lang=language.value)
    return words.replace("-", " ").replace(" and ", " ").replace(",", "")


def prefix_words(prefix: str, language: Language = Language.INDONESIAN) -> str:
    letters = [c for c in prefix.upper() if c.isalpha()]
    if language is Language.INDONESIAN:
        return " ".join(INDONESIAN_LETTERS[c] for c in letters if c in INDONESIAN_LETTERS)
    return " ".join(letters)


def counter_words(number: int, name: str = "", language: Language = Language.INDONESIAN) -> str:
    """``loket tiga`` for a default name; a custom name with its digits spoken as words."""
    if not name.strip() or _DEFAULT_COUNTER_NAME.match(name):
        return f"{COUNTER_WORD[language]} {number_words(number, language)}"
    return re.sub(r"\d+", lambda m: number_words(int(m.group()), language), name.strip())


def announcement(
    prefix: str,
    number: int,
    counter_number: int,
    counter_name: str = "",
    language: Language = Language.INDONESIAN,
) -> str:
    return TEMPLATES[language].format(
        prefix=prefix_words(prefix, language),
        number=number_words(number, language),
        counter=counter_words(counter_number, counter_name, language),
    )
