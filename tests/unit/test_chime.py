"""The chime shipped in resources/ is the one the script makes, and it is a real chime."""

from __future__ import annotations

import importlib.util
import math
import wave
from importlib import resources
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def make_chime_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_chime", ROOT / "scripts" / "make_chime.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_samples(path: Path) -> tuple[wave._wave_params, list[float]]:
    with wave.open(str(path), "rb") as source:
        params = source.getparams()
        raw = source.readframes(params.nframes)
    values = [
        int.from_bytes(raw[i : i + 2], "little", signed=True) / 32767 for i in range(0, len(raw), 2)
    ]
    return params, values


def strength(samples: list[float], frequency: float, rate: int) -> float:
    """Goertzel: how much of ``frequency`` the samples hold."""
    coeff = 2 * math.cos(2 * math.pi * frequency / rate)
    s_prev = s_prev2 = 0.0
    for x in samples:
        s_prev, s_prev2 = x + coeff * s_prev - s_prev2, s_prev
    return math.sqrt(max(0.0, s_prev2**2 + s_prev**2 - coeff * s_prev * s_prev2)) / len(samples)


def test_shipped_chime_is_what_the_script_makes(tmp_path: Path) -> None:
    fresh = tmp_path / "chime.wav"
    make_chime_module().write_wav(fresh, make_chime_module().chime())
    shipped = Path(str(resources.files("counter_app.resources").joinpath("sounds/chime.wav")))
    assert shipped.read_bytes() == fresh.read_bytes()


def test_chime_is_three_audible_notes_in_order() -> None:
    shipped = Path(str(resources.files("counter_app.resources").joinpath("sounds/chime.wav")))
    params, samples = read_samples(shipped)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 44_100)
    assert 2.0 < params.nframes / params.framerate < 2.5
    assert 0.5 < max(abs(v) for v in samples) <= 0.61
    notes = (659.25, 523.25, 783.99)
    for index, expected in enumerate(notes):
        start = int(0.55 * index * 44_100) + 2_000
        window = samples[start : start + 8_000]
        loudest = max(notes, key=lambda f: strength(window, f, 44_100))
        assert loudest == expected, f"note {index + 1}"
