"""Golden files: known-good bytes kept in tests/golden, compared exactly.

To change one on purpose (a new ticket layout), run the tests concerned with
``--regen-golden``, look at the difference (``cmp -l`` or a hex dump; the text of a ticket
is plain ASCII between the commands), and commit the new file with the change that made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


@dataclass(frozen=True)
class Golden:
    regenerate: bool

    def check(self, name: str, data: bytes) -> None:
        path = GOLDEN_DIR / name
        if self.regenerate:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.is_file(), f"no golden file {path.name}: run with --regen-golden once"
        expected = path.read_bytes()
        if data != expected:
            at = next(
                (i for i, (a, b) in enumerate(zip(data, expected, strict=False)) if a != b),
                min(len(data), len(expected)),
            )
            raise AssertionError(
                f"{name}: {len(data)} bytes, golden has {len(expected)}; first difference at "
                f"byte {at}: {data[at : at + 24]!r} != {expected[at : at + 24]!r}"
            )
