"""No sound device: said once, not per call.

The real announcer (QtMultimedia, the espeak-ng renderer, the chime) on a machine without a
sound server: calls go on being announced (chime step, speech step, done) without a sound,
with one WARNING and no ERROR. (A device coming back cannot be plugged in here: the decision
what to say is ``OutputWatch``'s, tested in tests/unit/audio/test_output_watch.py.)
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaDevices
from pytestqt.qtbot import QtBot

from counter_app.audio.announcements import Announcement
from counter_app.audio.output_watch import GONE
from counter_app.audio.player import AnnouncementPlayer
from counter_app.audio.speech import SpeechRenderer
from counter_app.views.display.station import chime_path
from tests.gui.no_sound import NO_SOUND_SERVER
from tests.gui.waits import WAIT_MS
from tests.support.error_logs import ErrorLogs

pytestmark = pytest.mark.qt_log_ignore(*NO_SOUND_SERVER, extend=True)
CALLS = 4
WATCH_LOG = "counter_app.audio.output_watch"


def warnings_and_worse(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str, str]]:
    return [
        (r.levelno, r.name, r.getMessage())
        for r in caplog.records
        if r.name.startswith("counter_app") and r.levelno >= logging.WARNING
    ]


def test_calls_without_a_sound_device_warn_once_and_log_no_error(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture, error_logs: ErrorLogs
) -> None:
    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has a sound device")
    caplog.set_level(logging.DEBUG, logger="counter_app")
    renderer = SpeechRenderer(tmp_path / "speech") if shutil.which("espeak-ng") else None
    player = AnnouncementPlayer(renderer, chime_path())
    try:
        said: list[Announcement] = []
        player.finished.connect(said.append)
        for number in range(1, CALLS + 1):
            player.announce(Announcement(number, 1, f"Nomor antrean A {number}, loket satu."))
        qtbot.waitUntil(lambda: len(said) == CALLS, timeout=CALLS * WAIT_MS)
    finally:
        player.stop()
        if renderer is not None:
            renderer.close()
    assert [a.ticket_id for a in said] == list(range(1, CALLS + 1))
    # Exactly one line above INFO from the whole announcer, however many calls: the warning.
    assert warnings_and_worse(caplog) == [(logging.WARNING, WATCH_LOG, GONE)]
    assert error_logs.records == []
