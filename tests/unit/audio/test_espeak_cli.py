"""espeak-ng's command line as the engine: the voice found, the rate given, failures named."""

from __future__ import annotations

import shutil
import stat
import subprocess
import wave
from pathlib import Path

import pytest

from counter_app.audio import espeak_cli
from counter_app.audio.render_check import problem

PROGRAM = shutil.which("espeak-ng")
pytestmark = pytest.mark.skipif(PROGRAM is None, reason="needs espeak-ng")
TEXT = "Nomor antrean A nol nol dua, silakan menuju loket satu."


def seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def test_the_indonesian_voice_is_espeak_ngs_own() -> None:
    assert PROGRAM is not None
    assert espeak_cli.indonesian_voice(PROGRAM) == "poz/id"


def test_the_rate_asked_for_is_the_rate_spoken(tmp_path: Path) -> None:
    assert PROGRAM is not None
    ours = tmp_path / "150.wav"
    assert espeak_cli.render(PROGRAM, TEXT, ours, 150) is None
    assert problem(ours, TEXT, 150) is None
    default = tmp_path / "default.wav"  # espeak-ng's own default: 175 words a minute
    subprocess.run([PROGRAM, "-v", "id", "-w", str(default), TEXT], check=True, capture_output=True)
    # 175/150 = 1.17: slower by about that much (the pauses do not scale exactly).
    assert seconds(ours) > 1.10 * seconds(default), (seconds(ours), seconds(default))


def test_text_is_never_taken_for_an_option(tmp_path: Path) -> None:
    assert PROGRAM is not None
    path = tmp_path / "dash.wav"
    assert espeak_cli.render(PROGRAM, "--help satu dua tiga", path, 150) is None
    assert seconds(path) > 1.0


def test_an_engine_that_writes_nothing_is_named_and_leaves_no_file(tmp_path: Path) -> None:
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\ncat > /dev/null\nexit 0\n")
    silent.chmod(silent.stat().st_mode | stat.S_IXUSR)
    path = tmp_path / "out.wav"
    assert espeak_cli.render(str(silent), TEXT, path, 150) == "the engine wrote no sound"
    assert list(tmp_path.glob("*.wav")) == [] and list(tmp_path.glob(".*part")) == []


def test_a_failing_engine_says_why(tmp_path: Path) -> None:
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\necho 'voice data missing' >&2\nexit 3\n")
    failing.chmod(failing.stat().st_mode | stat.S_IXUSR)
    reason = espeak_cli.render(str(failing), TEXT, tmp_path / "out.wav", 150)
    assert reason == "espeak-ng failed (3): voice data missing"
