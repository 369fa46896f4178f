"""Make the call chime, resources/sounds/chime.wav, from first principles (no download).

A classic three-note "ding-dong-ding" airport/bank chime: E5, C5, G5 as soft bell tones (a
fundamental with two decaying partials), each 0.55 s with a quick attack and an exponential
decay, 44.1 kHz mono 16-bit. Deterministic: the same bytes every run.

    python scripts/make_chime.py [output.wav]
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
NOTES_HZ = (659.25, 523.25, 783.99)  # E5, C5, G5
NOTE_SECONDS = 0.55
TAIL_SECONDS = 0.6
PEAK = 0.6  # of full scale, leaves room for the speech that follows


def bell(frequency: float, seconds: float) -> list[float]:
    samples = []
    for i in range(int(RATE * seconds)):
        t = i / RATE
        envelope = min(1.0, t / 0.01) * math.exp(-3.2 * t)
        tone = (
            math.sin(2 * math.pi * frequency * t)
            + 0.4 * math.sin(2 * math.pi * 2 * frequency * t) * math.exp(-2 * t)
            + 0.2 * math.sin(2 * math.pi * 3 * frequency * t) * math.exp(-4 * t)
        )
        samples.append(envelope * tone / 1.6)
    return samples


def chime() -> list[float]:
    total = int(RATE * (NOTE_SECONDS * len(NOTES_HZ) + TAIL_SECONDS))
    mix = [0.0] * total
    for index, frequency in enumerate(NOTES_HZ):
        start = int(RATE * NOTE_SECONDS * index)
        for i, value in enumerate(bell(frequency, NOTE_SECONDS + TAIL_SECONDS)):
            if start + i < total:
                mix[start + i] += value
    loudest = max(abs(v) for v in mix)
    return [v / loudest * PEAK for v in mix]


def write_wav(path: Path, samples: list[float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", round(v * 32767)) for v in samples))


def main() -> None:
    default = Path(__file__).resolve().parents[1] / "resources" / "sounds" / "chime.wav"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    write_wav(target, chime())
    print(f"chime: {target}")


if __name__ == "__main__":
    main()
