"""The NIK key file: private, written whole, first writer wins; rotation appends."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from counter_app.core.nik import nik_key_id
from counter_app.store.secrets import (
    NikKeyError,
    add_key,
    create_key_file,
    parse_keys,
    read_key_file,
)

A, B = b"a" * 32, b"b" * 32


def test_the_file_is_private_and_the_first_writer_wins(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "nik-keys"
    assert read_key_file(path) is None
    assert create_key_file(path, (A,)).keys == (A,)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert create_key_file(path, (B,)).keys == (A,)  # another process was first
    assert os.listdir(path.parent) == ["nik-keys"]  # no temporary file left
    assert f"# id {nik_key_id(A)}" in path.read_text()


def test_rotation_appends_a_new_current_key(tmp_path: Path) -> None:
    path = tmp_path / "nik-keys"
    with pytest.raises(NikKeyError):
        add_key(path)
    create_key_file(path, (A,))
    rotated = add_key(path)
    assert rotated.keys[0] == A and len(rotated.keys) == 2 and rotated.current != A
    assert read_key_file(path) == rotated
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["nik-keys"]


def test_keys_are_read_from_lines_or_a_comma_list() -> None:
    assert parse_keys(f"# a comment, with a comma\n{A.hex()}  # id x\n\n{B.hex()}\n") == (A, B)
    assert parse_keys(f"{A.hex()}, {B.hex()}") == (A, B)
    for bad in ("zz" * 32, "ab" * 16):
        with pytest.raises(NikKeyError):
            parse_keys(bad)


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nik-keys"
    path.write_text("# nothing\n")
    with pytest.raises(NikKeyError, match="no NIK key"):
        read_key_file(path)
