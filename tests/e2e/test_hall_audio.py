"""The hall really hears the calls: chime, then the Indonesian voice, one call after another.

The real announcer (QtMultimedia through PulseAudio, the pyttsx3 worker, the chime file) runs
in its own process against a private PulseAudio server whose only sink is recorded. The
recording is then checked: the chime's first bell note (E5, 659 Hz) opens each call, the speech
follows the chime without overlapping it, and the second call starts only after the first
has been said.
"""

from __future__ import annotations

import array
import json
import math
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from tests.support.pulse import pulse_server

ROOT = Path(__file__).resolve().parents[2]
CHIME_SECONDS = 2.25
NOTE_SECONDS = 0.55
FRAME = 0.05  # seconds per loudness frame
LOUD = 0.01  # RMS, of full scale, that counts as sound
BELLS_HZ = {"E5": 659.25, "C5": 523.25, "G5": 783.99}
CALLS = [
    "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga.",
    "Nomor antrean Be tujuh, silakan menuju loket satu.",
]


def read_wav(path: Path) -> tuple[list[float], int]:
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        raw = wav.readframes(wav.getnframes())
    samples = array.array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    return [s / 32768 for s in samples], rate


def loudness(samples: list[float], rate: int) -> list[float]:
    size = int(rate * FRAME)
    return [
        math.sqrt(sum(x * x for x in samples[i : i + size]) / size)
        for i in range(0, len(samples) - size, size)
    ]


def tone_power(samples: list[float], rate: int, hz: float) -> float:
    """Goertzel: how much of the frequency ``hz`` the samples hold."""
    coeff = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def bell_rings(samples: list[float], rate: int, at: float, note: str) -> bool:
    """Is this bell of the chime ringing at ``at``, far above its other two notes?"""
    window = samples[int(at * rate) : int((at + 0.3) * rate)]
    power = {name: tone_power(window, rate, hz) for name, hz in BELLS_HZ.items()}
    return power[note] > 3 * max(p for name, p in power.items() if name != note)


def chime_starts(samples: list[float], rate: int, at: float) -> bool:
    """The chime's three bells, E5, C5 and G5, in turn from ``at`` (make_chime.py)."""
    return all(
        bell_rings(samples, rate, at + 0.05 + index * NOTE_SECONDS, note)
        for index, note in enumerate(BELLS_HZ)
    )


def announce_in_hall(
    tmp_path: Path, recording: Path, extra_env: dict[str, str] | None = None
) -> tuple[list[dict[str, object]], str]:
    """Run the announcer process on the calls, recording the hall; its steps and its log."""
    with pulse_server(tmp_path) as pulse, pulse.recording(recording):
        env = {**pulse.env(), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        env.pop("XDG_RUNTIME_DIR", None)
        env.update(extra_env or {})
        command = [sys.executable, "-m", "tests.support.announce_in_hall", str(tmp_path / "cache")]
        result = subprocess.run(
            [*command, *CALLS],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    steps = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return steps, result.stderr


@pytest.mark.slow
def test_calls_are_chimed_then_spoken_in_order_without_overlap(tmp_path: Path) -> None:
    recording = tmp_path / "hall.wav"
    steps, _log = announce_in_hall(tmp_path, recording)
    assert [(s["step"], CALLS.index(s["text"])) for s in steps] == [
        ("chime", 0), ("speech", 0), ("done", 0), ("chime", 1), ("speech", 1), ("done", 1),
    ]  # fmt: skip
    at = {(s["step"], CALLS.index(s["text"])): float(s["t"]) for s in steps}
    # The speech waits for the chime, and the next call for the speech: never two at once.
    assert at[("speech", 0)] - at[("chime", 0)] >= CHIME_SECONDS - 0.05
    assert at[("speech", 1)] - at[("chime", 1)] >= CHIME_SECONDS - 0.05
    assert at[("chime", 1)] >= at[("done", 0)]

    samples, rate = read_wav(recording)
    frames = loudness(samples, rate)
    speech = [wav_seconds(p) for p in sorted_by_use(tmp_path / "cache", CALLS)]
    # A call begins where sound starts after a quiet spell with the chime's three bells.
    chimes = [onset for onset in onsets(frames) if chime_starts(samples, rate, onset)]
    assert len(chimes) == 2, chimes
    first, second = chimes
    # The voice follows the first chime: sound through most of its first second.
    spoken = first + CHIME_SECONDS
    window = frames[int((spoken + 0.2) / FRAME) : int((spoken + 1.2) / FRAME)]
    assert sum(level > LOUD for level in window) >= len(window) // 2
    # The second call waits until the first chime and speech have been played in full.
    assert second >= first + CHIME_SECONDS + speech[0] - 0.2, (first, second, speech)
    # And after the last speech, silence: nothing was said twice.
    end = second + CHIME_SECONDS + speech[1]
    tail = frames[int((end + 0.5) / FRAME) :]
    assert tail and all(level <= LOUD for level in tail)


def onsets(frames: list[float], quiet: float = 0.1) -> list[float]:
    """Times where sound starts after at least ``quiet`` seconds of silence."""
    found, silent = [], quiet / FRAME
    for index, level in enumerate(frames):
        if level > LOUD and silent >= quiet / FRAME:
            found.append(index * FRAME)
        silent = 0 if level > LOUD else silent + 1
    return found


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def sorted_by_use(cache: Path, texts: list[str]) -> list[Path]:
    """The rendered phrases, in the order they were said (the cache names them by hash)."""
    files = sorted(cache.glob("*.wav"), key=lambda p: p.stat().st_mtime)
    assert len(files) == len(texts), files
    return files


def espeak_without_indonesian(folder: Path) -> Path:
    """A copy of espeak-ng's data without the Indonesian voice (for ``ESPEAK_DATA_PATH``)."""
    found = sorted(Path("/usr").glob("**/espeak-ng-data/lang/poz/id"))
    assert found, "espeak-ng-data with the Indonesian voice is installed (Debian: espeak-ng)"
    data = found[0].parents[2]
    target = folder / "espeak" / "espeak-ng-data"
    shutil.copytree(
        data, target, ignore=lambda _dir, names: [n for n in names if n in ("id", "id_dict")]
    )
    return target.parent


@pytest.mark.slow
def test_without_an_indonesian_voice_calls_are_still_chimed_and_the_reason_logged(
    tmp_path: Path,
) -> None:
    recording = tmp_path / "hall.wav"
    espeak = espeak_without_indonesian(tmp_path)
    steps, log = announce_in_hall(tmp_path, recording, {"ESPEAK_DATA_PATH": str(espeak)})
    assert [s["step"] for s in steps] == ["no_voice", "chime", "done", "chime", "done"]
    assert "no Indonesian voice" in str(steps[0]["text"])
    assert "chimed but not spoken" in log
    samples, rate = read_wav(recording)
    frames = loudness(samples, rate)
    first = next(onset for onset in onsets(frames) if chime_starts(samples, rate, onset))
    # Chime after chime, no speech between: the second rings where the player started it.
    played = float(steps[3]["t"]) - float(steps[1]["t"])  # type: ignore[arg-type]
    assert CHIME_SECONDS - 0.05 <= played < CHIME_SECONDS + 0.5
    assert any(
        chime_starts(samples, rate, first + played + shift / 40) for shift in range(-8, 9)
    ), "the second chime is not where it was played"
    end = first + played + CHIME_SECONDS
    tail = frames[int((end + 0.5) / FRAME) :]
    assert tail and all(level <= LOUD for level in tail)
