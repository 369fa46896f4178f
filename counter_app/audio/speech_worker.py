"""The text-to-speech engine, alone in a child process.

pyttsx3 2.99 has known faults: the first ``runAndWait()`` can return before the file is
written (#219), ``runAndWait()`` with nothing queued hangs (#126/#131), the engine must stay on
one thread, and a missing voice silently falls back to English. So the engine lives in its own
process, renders WAV files only (playback is the parent's job), waits for the file to be
complete, and reports the voice it really uses. The parent (``speech.SpeechRenderer``) kills
and restarts it when it stops answering.

Protocol over a ``multiprocessing`` pipe: the worker first sends ``("ready", voice_id)`` or
``("no_voice", reason)``; then for each ``(text, path)`` it answers ``("ok", path)`` or
``("error", message)``.

On Linux the engine is espeak-ng's own command line (``espeak_cli``), not pyttsx3's espeak
driver: now and then that driver writes a header-only file and goes idle (see
``espeak_cli``). pyttsx3 stays for Windows (SAPI5) and macOS, and for Linux without the
``espeak-ng`` program.
"""

from __future__ import annotations

import os
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from counter_app.audio import espeak_cli

WAV_HEADER_BYTES = 44
FILE_WAIT_SECONDS = 3.0


def indonesian_voice(voices: list[Any]) -> str | None:
    """The id of a voice that really speaks Indonesian, or ``None``."""
    for voice in voices:
        languages = [str(lang).lower() for lang in (getattr(voice, "languages", None) or [])]
        name = str(getattr(voice, "name", "")).lower()
        if (
            any(lang in ("id", "id-id", "id_id", "ind") for lang in languages)
            or "indonesia" in name
        ):
            return str(voice.id)
    return None


def _wait_for_file(path: str) -> bool:
    """pyttsx3 #219: the file may still be growing when runAndWait returns."""
    deadline = time.monotonic() + FILE_WAIT_SECONDS
    last = -1
    while time.monotonic() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else 0
        if size > WAV_HEADER_BYTES and size == last:
            return True
        last = size
        time.sleep(0.02)
    return False


def _set_voice(engine: Any, voice: str, rate: int) -> None:
    """Voice first, then rate, before every render.

    espeak-ng applies a rate lazily (at the next synthesis) and a voice change may reset the
    voice's parameters, so the rate is set after the voice, and again for every phrase: no
    render depends on what an earlier one left in the engine.
    """
    engine.setProperty("voice", voice)
    engine.setProperty("rate", rate)


def run(conn: Connection, rate: int, program: str | None = None) -> None:
    """The child process's main loop; ``program`` names the espeak-ng command (Linux)."""
    if sys.platform != "win32":
        program = program or espeak_cli.executable()
    if program is not None:
        _run_espeak_cli(conn, rate, program)
    else:
        _run_pyttsx3(conn, rate)


def _serve(conn: Connection, render: Any) -> None:
    """Answer ``(text, path)`` requests with ``render(text, path)`` until told to stop."""
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        text, path = request
        try:
            if os.path.exists(path):
                os.remove(path)
            problem = render(str(text), str(path))
            conn.send(("ok", path) if problem is None else ("error", problem))
        except Exception as exc:  # reported to the parent, which decides what to do
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _run_espeak_cli(conn: Connection, rate: int, program: str) -> None:
    voice = espeak_cli.indonesian_voice(program)
    if voice is None:
        conn.send(("no_voice", "espeak-ng has no Indonesian voice (package espeak-ng-data)"))
        return
    conn.send(("ready", voice))
    _serve(conn, lambda text, path: espeak_cli.render(program, text, Path(path), rate))


def _run_pyttsx3(conn: Connection, rate: int) -> None:
    # pyttsx3's espeak driver prints "Audio saved to …" for every file: not our output.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    import pyttsx3  # imported here: only the child process loads the engine

    engine = pyttsx3.init()
    voice = indonesian_voice(engine.getProperty("voices"))
    if voice is None:
        conn.send(("no_voice", "no Indonesian voice is installed for the text-to-speech engine"))
        return
    _set_voice(engine, voice, rate)
    conn.send(("ready", voice))

    def render(text: str, path: str) -> str | None:
        _set_voice(engine, voice, rate)
        engine.save_to_file(text, path)
        engine.runAndWait()
        return None if _wait_for_file(path) else "the engine wrote no sound"

    _serve(conn, render)
