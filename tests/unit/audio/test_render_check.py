"""The render check: header-only, silent and cut-short WAVs are refused; real speech passes."""

from __future__ import annotations

import array
import math
import wave
from pathlib import Path

from counter_app.audio.render_check import min_seconds, problem

TEXT = "Nomor antrean A dua, silakan menuju loket satu."


def write_wav(path: Path, samples: list[int], rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(array.array("h", samples).tobytes())
    return path


def tone(seconds: float, amplitude: float, rate: int = 22050) -> list[int]:
    return [
        round(amplitude * 32767 * math.sin(2 * math.pi * 220 * i / rate))
        for i in range(int(seconds * rate))
    ]


def test_a_header_only_wav_is_refused(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "empty.wav", [])
    assert path.stat().st_size == 44
    assert problem(path, "A-002", 150) == "the engine wrote no sound"


def test_silence_and_a_clipped_stub_are_refused(tmp_path: Path) -> None:
    silent = write_wav(tmp_path / "silent.wav", [0] * 22050 * 4)
    assert "silent" in str(problem(silent, TEXT, 150))
    stub = write_wav(tmp_path / "stub.wav", tone(0.3, 0.5))
    assert "too short" in str(problem(stub, TEXT, 150))


def test_a_missing_or_broken_file_is_refused(tmp_path: Path) -> None:
    assert "unreadable" in str(problem(tmp_path / "missing.wav", TEXT, 150))
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00")
    assert "unreadable" in str(problem(broken, TEXT, 150))


def test_a_plausible_render_passes_and_the_minimum_follows_the_rate(tmp_path: Path) -> None:
    speech = write_wav(tmp_path / "speech.wav", tone(4.0, 0.4))
    assert problem(speech, TEXT, 150) is None
    assert min_seconds(TEXT, 300) == min_seconds(TEXT, 150) / 2
    assert min_seconds("A-002", 150) < 1.0  # "A-002" alone renders in ~1.4 s
