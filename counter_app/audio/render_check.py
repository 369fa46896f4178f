"""Is a rendered phrase really speech? Checked before it is cached or played.

A failed render can leave a WAV with a header and no sound (pyttsx3 writes 44 bytes when the
engine produced nothing), only silence, or a clipped stub; played, the hall hears nothing.
``problem(path, text, rate)`` says what is wrong with the file, or ``None`` when it is
plausible speech: a 16-bit PCM WAV, with a peak and a loudness clearly above silence, lasting
at least ``MIN_SECONDS_PER_CHAR`` per character of the text (scaled by the speaking rate).

The minimum was tuned on espeak-ng's Indonesian voice at 150 words a minute: its calls last
80–90 ms per character ("Nomor antrean A dua, silakan menuju loket satu." 4.0 s for 47
characters; "A-002" 1.4 s); 40 ms per character is half of that, so a normal render never
fails the check, while a header-only, silent or cut-off one does. Standard library only
(``audioop`` is gone in Python 3.13).
"""

from __future__ import annotations

import array
import sys
import wave
from pathlib import Path

MIN_SECONDS_PER_CHAR = 0.040  # at REFERENCE_RATE
REFERENCE_RATE = 150  # words per minute the minimum was tuned at
MIN_PEAK = 0.05  # of full scale: quieter than this everywhere is silence
MIN_RMS = 0.005  # of full scale, over the whole file
FULL_SCALE = 32768.0


def min_seconds(text: str, rate: int) -> float:
    """The shortest plausible render of ``text`` at ``rate`` words a minute."""
    characters = len("".join(text.split()))
    return characters * MIN_SECONDS_PER_CHAR * REFERENCE_RATE / max(1, rate)


def problem(path: Path, text: str, rate: int) -> str | None:
    """Why the file is not a usable render of ``text``; ``None`` when it is."""
    try:
        with wave.open(str(path)) as wav:
            width, frames, framerate = wav.getsampwidth(), wav.getnframes(), wav.getframerate()
            channels = wav.getnchannels()
            raw = wav.readframes(frames)
    except (OSError, EOFError, wave.Error) as exc:
        return f"unreadable sound file: {exc}"
    if width != 2 or framerate <= 0:
        return f"unexpected sound format ({width * 8}-bit, {framerate} Hz)"
    if frames == 0:
        return "the engine wrote no sound"
    seconds = frames / framerate
    shortest = min_seconds(text, rate)
    if seconds < shortest:
        return f"too short for its text ({seconds:.2f} s, at least {shortest:.2f} s expected)"
    samples = array.array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    highest, lowest = max(samples), min(samples)
    peak = max(highest, -lowest) / FULL_SCALE
    count = len(samples) // max(1, channels) * max(1, channels)
    rms = (sum(x * x for x in samples) / max(1, count)) ** 0.5 / FULL_SCALE
    if peak < MIN_PEAK or rms < MIN_RMS:
        return f"silent (peak {peak:.3f}, loudness {rms:.4f} of full scale)"
    return None
