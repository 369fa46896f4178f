"""IKM (PermenPANRB 14/2017): known answers worked out by hand, and the grade boundaries."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from counter_app.core.errors import AppError
from counter_app.core.ikm import (
    ELEMENTS,
    Grade,
    check_answers,
    grade_of,
    ikm,
    ikm_from_sums,
    round_index,
)


def test_nine_elements_in_the_regulations_order_and_words() -> None:
    assert [e.name for e in ELEMENTS] == [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Sarana dan Prasarana",
    ]
    assert [e.code for e in ELEMENTS] == [f"U{i}" for i in range(1, 10)]
    assert all(len(e.labels) == 4 and len(set(e.labels)) == 4 for e in ELEMENTS)
    assert ELEMENTS[3].labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")


def test_extremes() -> None:
    best = ikm([[4] * 9, [4] * 9])
    worst = ikm([[1] * 9])
    assert best is not None and worst is not None
    assert (best.index, best.grade, best.label) == (Decimal("100.00"), Grade.A, "Sangat Baik")
    assert (worst.index, worst.grade, worst.label) == (Decimal("25.00"), Grade.D, "Tidak Baik")
    assert ikm([]) is None


def test_a_small_set_worked_by_hand() -> None:
    # Three respondents. Element sums: U1 4+3+2=9, U2 3+3+3=9, U3 2+3+4=9, U4 4+4+4=12,
    # U5 3+3+2=8, U6 3+4+3=10, U7 4+4+3=11, U8 1+2+3=6, U9 3+3+3=9; total 83.
    # Means: 3, 3, 3, 4, 8/3, 10/3, 11/3, 2, 3.  IKM = 25 × (83/3) / 9 = 2075/27 = 76.851…
    responses = [
        [4, 3, 2, 4, 3, 3, 4, 1, 3],
        [3, 3, 3, 4, 3, 4, 4, 2, 3],
        [2, 3, 4, 4, 2, 3, 3, 3, 3],
    ]
    result = ikm(responses)
    assert result is not None
    assert result.responses == 3
    assert result.element_means == (
        Fraction(3),
        Fraction(3),
        Fraction(3),
        Fraction(4),
        Fraction(8, 3),
        Fraction(10, 3),
        Fraction(11, 3),
        Fraction(2),
        Fraction(3),
    )
    assert (result.index, result.grade, result.label) == (Decimal("76.85"), Grade.B, "Baik")


# 5,000 responses whose nine element sums are all s give exactly 25 × s / 5,000.
@pytest.mark.parametrize(
    ("element_sum", "index", "grade"),
    [
        (17661, "88.31", Grade.A),  # exactly 88.305: half up, into A
        (17660, "88.30", Grade.B),  # exactly 88.300: the top of B
        (15321, "76.61", Grade.B),  # exactly 76.605: into B
        (15320, "76.60", Grade.C),  # exactly 76.600: the top of C
        (13000, "65.00", Grade.C),  # the bottom of C
        (12999, "65.00", Grade.C),  # exactly 64.995: half up, into C
        (12998, "64.99", Grade.D),  # exactly 64.990: the top of D
        (5000, "25.00", Grade.D),
        (20000, "100.00", Grade.A),
    ],
)
def test_grade_boundaries(element_sum: int, index: str, grade: Grade) -> None:
    result = ikm_from_sums(5000, [element_sum] * 9)
    assert result is not None
    assert (str(result.index), result.grade) == (index, grade)


def test_boundary_just_below_a_tie_rounds_down() -> None:
    # Sums 158,948 over 5,000 responses: 25 × 158948 / 45000 = 88.30444… → 88.30, grade B.
    result = ikm_from_sums(5000, [17661] * 8 + [17660])
    assert result is not None and (str(result.index), result.grade) == ("88.30", Grade.B)


def test_rounding_is_exact_where_binary_floats_are_not() -> None:
    # 76.615 is 76.61499… in binary, so float formatting rounds it down; 70.125 is exact in
    # binary and Python rounds ties to even. The regulation's tables round half up.
    assert f"{float(Fraction(25 * 15323, 5000)):.2f}" == "76.61"
    assert round_index(Fraction(25 * 15323, 5000)) == Decimal("76.62")
    assert round(70.125, 2) == 70.12
    assert round_index(Fraction(70125, 1000)) == Decimal("70.13")


def test_grade_of_wants_a_rounded_index_in_range() -> None:
    assert grade_of(Decimal("88.31")) == (Grade.A, "Sangat Baik")
    assert grade_of(Decimal("65.00")) == (Grade.C, "Kurang Baik")
    with pytest.raises(ValueError, match="rounded"):
        grade_of(Decimal("88.305"))
    with pytest.raises(ValueError, match="between"):
        grade_of(Decimal("24.99"))


@pytest.mark.parametrize(
    "answers",
    [[4] * 8, [4] * 10, [0, 4, 4, 4, 4, 4, 4, 4, 4], [4, 4, 4, 4, 5, 4, 4, 4, 4], [True] * 9],
)
def test_bad_answers_are_refused(answers: list[int]) -> None:
    with pytest.raises(AppError) as caught:
        check_answers(answers)
    assert caught.value.code == "bad_survey_answers"


def test_sums_that_cannot_come_from_the_responses_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        ikm_from_sums(2, [9] * 9)
    with pytest.raises(ValueError, match="need 9"):
        ikm_from_sums(2, [8] * 8)
