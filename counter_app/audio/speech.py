"""Render announcements to WAV files with the offline voice, cached, never hanging the caller.

``SpeechRenderer.render(text)`` returns the path of a WAV file: from the cache when the phrase
was said before (numbers and counters repeat all day), else from the engine in its child
process (``speech_worker``). A render that takes longer than ``timeout`` kills the child and
starts a new one, so one stuck engine costs one announcement, not the day. Every file is
checked (``render_check``) before it is kept or played: a cached file that fails is deleted
and rendered again, and a render that fails is deleted and tried once more in a fresh child
(a broken engine state dies with its process); if that fails too, ``render`` raises. Without an
Indonesian voice, ``voice_error`` says why and ``render`` raises ``SpeechUnavailableError``: the
caller still shows the call and plays the chime.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from counter_app.audio import render_check, speech_worker

log = logging.getLogger(__name__)
START_TIMEOUT = 20.0
# After the engine found no voice, calls do not start it again before this: starting costs
# seconds, which the chime-only call would wait; a voice installed meanwhile is found later.
RETRY_START_AFTER = 60.0


class SpeechUnavailableError(Exception):
    """No phrase could be rendered; the message says why."""


class SpeechRenderError(SpeechUnavailableError):
    """The engine answered, but with no usable sound (empty, silent, cut short), twice."""


class SpeechRenderer:
    def __init__(
        self,
        cache_dir: Path,
        *,
        rate: int = 150,
        timeout: float = 8.0,
        program: str | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.rate = rate
        # The espeak-ng command to run (``None``: the one on PATH; Windows: SAPI5 instead).
        self.program = program
        self.timeout = timeout
        self.voice: str | None = None
        self.voice_error: str | None = None
        self.restarts = 0
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._no_start_before = 0.0  # monotonic time; set when a start found no voice
        # Cached files already checked in this process (path -> mtime): checked once each.
        self._checked: dict[Path, int] = {}
        cache_dir.mkdir(parents=True, exist_ok=True)

    # --- the child process ---

    def start(self) -> bool:
        """Start the engine; ``False`` (and ``voice_error``) when there is no usable voice."""
        with self._lock:
            return self._start()

    def _start(self) -> bool:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=speech_worker.run,
            args=(child, self.rate, self.program),
            name="speech-worker",
            daemon=True,
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        if not parent.poll(START_TIMEOUT):
            self.voice_error = "the text-to-speech engine did not start"
            self._kill()
            self._no_start_before = time.monotonic() + RETRY_START_AFTER
            return False
        kind, detail = parent.recv()
        if kind != "ready":
            self.voice_error = str(detail)
            log.error("speech disabled: %s", detail)
            self._kill()
            self._no_start_before = time.monotonic() + RETRY_START_AFTER
            return False
        self.voice, self.voice_error = str(detail), None
        return True

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    @property
    def worker_pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(None)
            if self._process is not None:
                self._process.join(2)
            self._kill()

    # --- rendering ---

    def cache_path(self, text: str) -> Path:
        key = hashlib.sha256(f"{self.voice}|{self.rate}|{text}".encode()).hexdigest()[:32]
        return self.cache_dir / f"{key}.wav"

    def render(self, text: str) -> Path:
        with self._lock:
            if self._conn is None and (
                time.monotonic() < self._no_start_before or not self._start()
            ):
                raise SpeechUnavailableError(self.voice_error or "no voice")
            path = self.cache_path(text)
            if path.exists():
                if self._usable(path, text) is None:
                    return path
                path.unlink(missing_ok=True)  # a bad file from an earlier render: redo it
            reason = self._render_checked(text, path)
            if reason is None:
                return path
            log.warning(
                "speech render of %r unusable (%s); retrying in a fresh engine", text, reason
            )
            self._kill()
            self.restarts += 1
            if not self._start():
                raise SpeechUnavailableError(self.voice_error or "no voice")
            reason = self._render_checked(text, path)
            if reason is None:
                return path
            raise SpeechRenderError(f"the speech for {text!r} could not be rendered: {reason}")

    def _usable(self, path: Path, text: str) -> str | None:
        """The check's verdict, remembered per file version so a cached phrase is read once."""
        try:
            mtime = path.stat().st_mtime_ns
        except OSError as exc:
            return str(exc)
        if self._checked.get(path) == mtime:
            return None
        reason = render_check.problem(path, text, self.rate)
        if reason is None:
            self._checked[path] = mtime
        return reason

    def _render_checked(self, text: str, path: Path) -> str | None:
        """Render once in the child; ``None`` if the file is kept, else why it was deleted."""
        assert self._conn is not None
        self._conn.send((text, str(path)))
        if not self._conn.poll(self.timeout):
            log.warning("speech engine hung on %r; restarting it", text)
            self._kill()
            self.restarts += 1
            path.unlink(missing_ok=True)
            raise SpeechUnavailableError("the text-to-speech engine did not answer in time")
        kind, detail = self._conn.recv()
        reason = str(detail) if kind != "ok" else self._usable(path, text)
        if reason is not None:
            path.unlink(missing_ok=True)  # never keep a failed render in the cache
        return reason
