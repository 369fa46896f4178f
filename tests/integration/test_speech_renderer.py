"""The offline voice renders real Indonesian speech; a hung engine is replaced, not waited on."""

from __future__ import annotations

import os
import signal
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.audio.speech import SpeechRenderer, SpeechUnavailableError
from counter_app.core.speech import announcement


@pytest.fixture
def renderer(tmp_path: Path) -> Iterator[SpeechRenderer]:
    speech = SpeechRenderer(tmp_path / "cache", timeout=5.0)
    started = speech.start()
    assert started, f"no Indonesian voice: {speech.voice_error} (bootstrap installs espeak-ng)"
    try:
        yield speech
    finally:
        speech.close()


def loudness(path: Path) -> tuple[float, float]:
    """(seconds, peak amplitude 0..1) of a 16-bit WAV."""
    with wave.open(str(path), "rb") as source:
        params = source.getparams()
        raw = source.readframes(params.nframes)
    assert params.sampwidth == 2
    peak = max(
        abs(int.from_bytes(raw[i : i + 2], "little", signed=True)) for i in range(0, len(raw), 2)
    )
    return params.nframes / params.framerate, peak / 32767


def test_the_voice_is_indonesian(renderer: SpeechRenderer) -> None:
    assert renderer.voice is not None
    assert renderer.voice.endswith("/id") or "indonesia" in renderer.voice.lower()


def test_an_announcement_renders_as_audible_speech(renderer: SpeechRenderer) -> None:
    path = renderer.render(announcement("A", 123, 3))
    seconds, peak = loudness(path)
    assert 2.0 < seconds < 12.0  # a sentence, not a click and not a hang
    assert peak > 0.2


def test_a_phrase_said_before_comes_from_the_cache(renderer: SpeechRenderer) -> None:
    text = announcement("B", 7, 2)
    first = renderer.render(text)
    stamp = first.stat().st_mtime_ns
    pid = renderer.worker_pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the engine could not answer now: the cache must
    try:
        started = time.monotonic()
        assert renderer.render(text) == first
        assert time.monotonic() - started < 0.5
    finally:
        os.kill(pid, signal.SIGCONT)
    assert first.stat().st_mtime_ns == stamp


def test_a_hung_engine_is_replaced_and_the_next_call_still_speaks(tmp_path: Path) -> None:
    speech = SpeechRenderer(tmp_path / "cache", timeout=1.5)
    assert speech.start(), speech.voice_error
    try:
        stuck = speech.worker_pid
        assert stuck is not None
        os.kill(stuck, signal.SIGSTOP)  # a real hang, as far as the parent can tell
        started = time.monotonic()
        with pytest.raises(SpeechUnavailableError, match="did not answer"):
            speech.render(announcement("C", 11, 4))
        assert time.monotonic() - started < 4.0
        assert speech.restarts == 1
        path = speech.render(announcement("C", 12, 4))
        assert loudness(path)[1] > 0.2
        assert speech.worker_pid not in (None, stuck)
    finally:
        speech.close()
