"""The satisfaction survey (SKM) and its index (IKM), after PermenPANRB 14/2017.

Nine elements, each answered on a scale of 1 to 4 with the regulation's own answer labels.
The index of a set of responses is ``25 × Σ (mean_i × 1/9)``: the mean score of each element
("nilai rata-rata", NRR), weighted equally (1/9 each, "nilai rata-rata tertimbang"), summed
and converted from the 1–4 scale to 25–100.

Exact arithmetic: the means and the index are fractions, rounded once, half up, to the two
decimals the regulation's tables use; the grade is read from the rounded value. So 88.305 is
88.31 (A) and 88.3049… is 88.30 (B), and no value falls between two grades. (The
regulation's worked example rounds the weight to 0.111, which would cap the index at 99.9;
we use 1/9 exactly, as its formula says.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid

SCALE = (1, 2, 3, 4)
CONVERSION = 25


@dataclass(frozen=True, slots=True)
class Element:
    number: int  # 1..9, as the regulation lists the elements
    code: str  # "U1".."U9"
    name: str  # the element as the regulation names it
    question: str  # the questionnaire's question
    labels: tuple[str, str, str, str]  # the answers for 1, 2, 3, 4


ELEMENTS: tuple[Element, ...] = (
    Element(
        1,
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        2,
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element(
        3,
        "U3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Element(
        4,
        "U4",
        "Biaya/Tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Element(
        5,
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        6,
        "U6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        7,
        "U7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Element(
        8,
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    Element(
        9,
        "U9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
)
ELEMENT_COUNT = len(ELEMENTS)


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


# (lowest two-decimal index of the grade, grade, "mutu pelayanan" in the regulation's words)
_GRADES: tuple[tuple[Decimal, Grade, str], ...] = (
    (Decimal("88.31"), Grade.A, "Sangat Baik"),
    (Decimal("76.61"), Grade.B, "Baik"),
    (Decimal("65.00"), Grade.C, "Kurang Baik"),
    (Decimal("25.00"), Grade.D, "Tidak Baik"),
)
_TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class IkmResult:
    responses: int
    element_means: tuple[Fraction, ...]  # NRR per element, exact
    index: Decimal  # 25.00 .. 100.00, two decimals, rounded half up
    grade: Grade
    label: str  # the grade in words: "Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"


def check_answers(answers: Sequence[int]) -> tuple[int, ...]:
    """Nine whole numbers from 1 to 4, in element order."""
    if len(answers) != ELEMENT_COUNT:
        raise invalid(
            ErrorCode.BAD_SURVEY_ANSWERS, f"Give exactly {ELEMENT_COUNT} answers, one per element."
        )
    for element, value in zip(ELEMENTS, answers, strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise invalid(
                ErrorCode.BAD_SURVEY_ANSWERS,
                f"{element.code} ({element.name}) must be a whole number from 1 to 4.",
                element=element.code,
            )
    return tuple(answers)


def round_index(value: Fraction) -> Decimal:
    """Two decimals, half up, computed exactly (no binary floating point on the way)."""
    if value < 0:
        raise ValueError("an index is never negative")
    hundredths = value * 100 + Fraction(1, 2)
    rounded = hundredths.numerator // hundredths.denominator
    return (Decimal(rounded) / 100).quantize(_TWO_PLACES)


def grade_of(index: Decimal) -> tuple[Grade, str]:
    """The grade of an index already rounded to two decimals."""
    if index != index.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP):
        raise ValueError("grade_of needs an index rounded to two decimals")
    if not Decimal(25) <= index <= Decimal(100):
        raise ValueError(f"an index is between 25 and 100, not {index}")
    for lowest, grade, label in _GRADES:
        if index >= lowest:
            return grade, label
    raise AssertionError("unreachable: the lowest grade starts at 25.00")


def ikm_from_sums(responses: int, sums: Sequence[int]) -> IkmResult | None:
    """The index from the number of responses and each element's sum of scores."""
    if responses == 0:
        return None
    if len(sums) != ELEMENT_COUNT:
        raise ValueError(f"need {ELEMENT_COUNT} sums")
    if any(not responses * SCALE[0] <= s <= responses * SCALE[-1] for s in sums):
        raise ValueError("a sum of scores is outside what that many responses can give")
    means = tuple(Fraction(s, responses) for s in sums)
    exact = CONVERSION * sum(means, Fraction(0)) / ELEMENT_COUNT
    index = round_index(exact)
    grade, label = grade_of(index)
    return IkmResult(responses, means, index, grade, label)


def ikm(responses: Iterable[Sequence[int]]) -> IkmResult | None:
    """The index of a set of responses (each nine answers from 1 to 4), or None if empty."""
    count = 0
    sums = [0] * ELEMENT_COUNT
    for answers in responses:
        for i, value in enumerate(check_answers(answers)):
            sums[i] += value
        count += 1
    return ikm_from_sums(count, sums)
