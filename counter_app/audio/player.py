"""Say announcements in the hall: chime, then the rendered speech, one at a time, through Qt.

The speech is rendered (``SpeechRenderer``, on a worker thread) while the chime plays, so a
new phrase costs no extra silence. The steps of an announcement: chime → speech → done; a
failed render (no voice, a hung engine) skips the speech after the chime and logs why, so the
hall still hears that someone was called. A playback that neither ends nor fails (a broken
audio device) is given up after its length plus a margin: the queue never stalls.

Faults are said once, not per call: with no sound device the player says so (WARNING) at start
and when the last device goes, and (INFO) when one comes back; meanwhile it does not try to
play, so the calls go on being shown at once. When speech cannot be rendered even in a fresh
engine, ``speech_fault`` tells the station (which reports a device fault to the supervisors)
once until speech works again; the chime goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import Enum, auto
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from counter_app.audio.announcements import Announcement, AnnouncementQueue
from counter_app.audio.output_watch import OutputWatch
from counter_app.audio.speech import SpeechRenderer, SpeechUnavailableError

log = logging.getLogger(__name__)
# No sound file of ours is longer than this; a playback still running after it is stuck.
STUCK_AFTER_MS = 20_000


class Step(Enum):
    IDLE = auto()
    CHIME = auto()
    WAIT_SPEECH = auto()
    SPEECH = auto()


class AnnouncementPlayer(QObject):
    chime_started = Signal(object)  # Announcement
    speech_started = Signal(object)  # Announcement
    speech_ready = Signal(object)  # Announcement: its phrase is rendered and checked
    finished = Signal(object)  # Announcement (said once; a repeat starts again)
    voice_checked = Signal(str)  # "" when the voice is ready, else why there is none
    speech_fault = Signal(str)  # speech failed (first failure after it last worked): why
    # From the render thread to the Qt thread: (callback, result or exception).
    _worker_done = Signal(object, object)

    def __init__(
        self,
        renderer: SpeechRenderer | None,
        chime: Path,
        *,
        volume: float = 1.0,
        repeat: int = 1,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self.queue = AnnouncementQueue(repeat)
        # One thread: the renderer serialises its engine anyway, and order is kept.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")
        self._worker_done.connect(lambda callback, value: callback(value))
        # Without any sound device every playback fails: said once at start and when it
        # changes, not per call.
        self.devices = QMediaDevices(self)
        self.devices.audioOutputsChanged.connect(self._outputs_changed)
        self.output = OutputWatch(bool(QMediaDevices.audioOutputs()))
        # WAV through QSoundEffect: decoded up front, so it starts without the media
        # pipeline's delay. The chime is loaded once; the speech effect per phrase.
        self.chime = self._effect()
        self.voice = self._effect()
        self._volume = 1.0
        self.set_volume(volume)
        self.stuck = QTimer(self)
        self.stuck.setSingleShot(True)
        self.stuck.timeout.connect(self._gave_up)
        self.step = Step.IDLE
        self.current: Announcement | None = None
        self._speech: Path | None = None
        self._speech_failed = False
        self._playing = False
        self._sounding: QSoundEffect | None = None
        self.speech_failing = False
        # Last: loading a sound can report its status at once, to slots that read the state.
        self.chime.setSource(QUrl.fromLocalFile(str(chime)))

    # --- settings ---

    def _effect(self) -> QSoundEffect:
        effect = QSoundEffect(self)
        effect.playingChanged.connect(lambda: self._playing_changed(effect))
        effect.statusChanged.connect(lambda: self._status_changed(effect))
        return effect

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(1.0, max(0.0, volume))
        self.chime.setVolume(self._volume)
        self.voice.setVolume(self._volume)

    def set_repeat(self, repeat: int) -> None:
        self.queue.repeat = max(1, repeat)

    # --- the voice ---

    def check_voice(self) -> None:
        """Start the engine off the Qt thread; ``voice_checked`` tells the outcome."""
        renderer = self.renderer
        if renderer is None:
            self.voice_checked.emit("speech is switched off")
            return

        def done(ready: bool) -> None:
            reason = "" if ready else (renderer.voice_error or "no voice")
            if reason:
                log.error("announcements without speech (chime only): %s", reason)
            self.voice_checked.emit(reason)

        def start() -> bool:
            try:
                return renderer.start()
            except Exception:  # a broken engine is "no voice", not a crash
                log.exception("the speech engine failed to start")
                return False

        self._in_worker(start, done)

    # --- announcing ---

    def announce(self, announcement: Announcement) -> bool:
        """Queue it (unless this very call was queued before); start if the hall is quiet."""
        accepted = self.queue.offer(announcement)
        self._next()
        return accepted

    def _next(self) -> None:
        if self.step is not Step.IDLE:
            return
        announcement = self.queue.next()
        if announcement is None:
            return
        self.current = announcement
        self._speech, self._speech_failed = None, False
        self._render(announcement.text)
        self.step = Step.CHIME
        self.chime_started.emit(announcement)
        self._play(self.chime)

    def _render(self, text: str) -> None:
        renderer = self.renderer
        if renderer is None:
            self._speech_failed = True
            return

        def render() -> Path | Exception:
            try:
                return renderer.render(text)
            except Exception as exc:  # reported on the Qt thread
                return exc

        self._in_worker(render, self._render_result)

    def _in_worker(self, work: Callable[[], Any], callback: Callable[[Any], None]) -> None:
        self._worker.submit(lambda: self._worker_done.emit(callback, work()))

    def _render_result(self, result: Path | Exception) -> None:
        if isinstance(result, Exception):
            self._render_failed(result)
        else:
            self._rendered(result)

    def _rendered(self, path: Path) -> None:
        self._speech = path
        if self.current is not None:
            self.speech_ready.emit(self.current)
        if self.speech_failing:
            self.speech_failing = False
            log.info("speech works again")
        if self.step is Step.WAIT_SPEECH:
            self._speak()

    def _render_failed(self, exc: Exception) -> None:
        self._speech_failed = True
        first = not self.speech_failing
        self.speech_failing = True
        if not isinstance(exc, SpeechUnavailableError):
            log.error("speech rendering failed", exc_info=exc)
        elif first:
            log.error("call shown and chimed but not spoken: %s", exc)
        else:
            log.debug("call shown and chimed but not spoken: %s", exc)
        if first:
            self.speech_fault.emit(str(exc) or type(exc).__name__)
        if self.step is Step.WAIT_SPEECH:
            self._done()

    def _play(self, effect: QSoundEffect) -> None:
        self.stuck.start(STUCK_AFTER_MS)
        self._playing = True
        self._sounding = effect
        if not self.has_output or effect.status() is QSoundEffect.Status.Error:
            # Nothing can sound (said once already): the step ends now, not after a
            # 20-second wait for a playback that never starts.
            QTimer.singleShot(0, lambda: self._ended_silently(effect))
            return
        effect.play()

    def _ended_silently(self, effect: QSoundEffect) -> None:
        if effect is self._sounding:
            self._step_ended()

    def _outputs_changed(self) -> None:
        if self.output.update(bool(QMediaDevices.audioOutputs())) and self.has_output:
            # A source that failed without a device is loaded again for the new one.
            for effect in (self.chime, self.voice):
                source = effect.source()
                effect.setSource(QUrl())
                effect.setSource(source)

    @property
    def has_output(self) -> bool:
        return self.output.has_output

    def _step_ended(self) -> None:
        if not self._playing:
            return  # an end and an error for the same file: the step ended once
        self._playing = False
        self.stuck.stop()
        if self.step is Step.CHIME:
            if self._speech is not None:
                self._speak()
            elif self._speech_failed:
                self._done()
            else:
                self.step = Step.WAIT_SPEECH  # the phrase is still being rendered
        elif self.step is Step.SPEECH:
            self._done()

    def _speak(self) -> None:
        assert self._speech is not None and self.current is not None
        self.step = Step.SPEECH
        self.speech_started.emit(self.current)
        self.voice.setSource(QUrl.fromLocalFile(str(self._speech)))
        self._play(self.voice)

    def _done(self) -> None:
        said = self.current
        self.step = Step.IDLE
        self.current = None
        self.queue.finished()
        if said is not None:
            self.finished.emit(said)
        self._next()

    # --- the sound effects' reports ---

    def _playing_changed(self, effect: QSoundEffect) -> None:
        if effect is self._sounding and not effect.isPlaying():
            self._step_ended()

    def _status_changed(self, effect: QSoundEffect) -> None:
        if effect.status() is QSoundEffect.Status.Error:
            level = logging.ERROR if self.has_output else logging.DEBUG
            log.log(level, "cannot play %s", effect.source().toLocalFile())
            if effect is self._sounding:
                self._step_ended()

    def _gave_up(self) -> None:
        log.error("playback did not finish; going on with the next announcement")
        self._step_ended()

    def stop(self) -> None:
        self.stuck.stop()
        self._sounding = None
        self.chime.stop()
        self.voice.stop()
        self._worker.shutdown(wait=False, cancel_futures=True)
