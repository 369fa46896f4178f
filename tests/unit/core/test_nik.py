"""The NIK form check, names, mobile numbers and masking (known answers)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from counter_app.core.errors import AppError
from counter_app.core.nik import NikKeys, check_name, check_nik, mask_name, nik_key_id


@pytest.mark.parametrize(
    "text",
    [
        "3174051208900001",  # Jakarta Selatan, man born 12-08-1990
        "3174055208900001",  # the same date for a woman: 12 + 40
        "3174 0552 0890 0001",
        "31.74.05.520890.0001",
        "9604010101000001",  # Papua Barat Daya (2022), 1 January 2000
        "1101012902000001",  # 29 February 2000 exists
        "1101016902000001",  # … also for a woman (69 - 40 = 29)
    ],
)
def test_good_niks(text: str) -> None:
    assert check_nik(text).digits == "".join(c for c in text if c.isdigit())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "length"),
        ("317405120890001", "length"),
        ("31740512089000012", "length"),
        ("317405120890000A", "length"),
        ("３１７４０５１２０８９００００１", "length"),  # full-width digits are not ASCII
        ("2074051208900001", "region"),  # no province 20
        ("9974051208900001", "region"),
        ("3100051208900001", "region"),  # regency 00
        ("3174001208900001", "region"),  # district 00
        ("3174050008900001", "birth_date"),  # day 00
        ("3174053208900001", "birth_date"),  # 32 August
        ("3174054008900001", "birth_date"),  # 40: neither a man's nor a woman's day
        ("3174057208900001", "birth_date"),  # 72 - 40 = 32
        ("3174051200900001", "birth_date"),  # month 00
        ("3174051213900001", "birth_date"),  # month 13
        ("3174053002900001", "birth_date"),  # 30 February
        ("1101012902010001", "birth_date"),  # 29 February 1901/2001: no leap year
        ("3174051208900000", "serial"),
    ],
)
def test_bad_niks_say_why(text: str, reason: str) -> None:
    with pytest.raises(AppError) as caught:
        check_nik(text)
    assert (caught.value.code, caught.value.details["reason"]) == ("bad_nik", reason)


def test_nik_digest_is_hmac_sha256_under_the_key_and_keeps_the_last_four() -> None:
    nik = check_nik("3174 0512 0890 0001")
    key = b"k" * 32
    assert nik.digest(key) == hmac.new(key, b"3174051208900001", hashlib.sha256).hexdigest()
    assert nik.digest(key) != nik.digest(b"x" * 32)
    assert nik.last4 == "0001"


def test_nik_keys_verify_hashes_of_every_key_and_hash_new_ones_with_the_last() -> None:
    nik = check_nik("3174051208900001")
    old, new = b"o" * 32, b"n" * 32
    keys = NikKeys((old, new))
    assert keys.current == new and keys.current_id == nik_key_id(new)
    assert keys.ids == (nik_key_id(old), nik_key_id(new)) and len(keys.current_id) == 16
    assert nik_key_id(old) != nik_key_id(new) and old.hex() not in keys.current_id
    assert keys.digests(nik) == {nik_key_id(old): nik.digest(old), nik_key_id(new): nik.digest(new)}
    assert keys.matches(nik, nik.digest(old), nik_key_id(old))
    assert not keys.matches(nik, nik.digest(old), nik_key_id(new))  # wrong key id
    assert not keys.matches(nik, nik.digest(b"x" * 32), nik_key_id(b"x" * 32))  # key unknown
    assert not keys.matches(nik, None, nik_key_id(old))  # anonymised
    assert not keys.matches(check_nik("3174051208900002"), nik.digest(old), nik_key_id(old))
    with pytest.raises(ValueError):
        NikKeys(())
    with pytest.raises(ValueError):
        NikKeys((b"short",))


def test_names() -> None:
    assert check_name("  Siti   Nur'aini  ") == "Siti Nur'aini"
    assert check_name("I Gusti Ngurah Rai, S.H.") == "I Gusti Ngurah Rai, S.H."
    assert check_name("Đặng Thị Ngọc") == "Đặng Thị Ngọc"
    for bad in ("", "B", "Budi2", "Budi <b>", "-- ..", "x" * 101):
        with pytest.raises(AppError) as caught:
            check_name(bad)
        assert caught.value.code == "bad_name", bad


def test_mask_name() -> None:
    assert mask_name("Budi Santoso") == "B*** S******"
    assert mask_name("I Wayan") == "I W****"
