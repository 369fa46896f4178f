"""When the TV cannot speak, the hall still hears the chime and the supervisors are told.

A real server, a real TV station and a supervisor window; the station's speech engine is an
espeak-ng stand-in that lists the real voices but writes no sound, so every render fails, and
fails again in a fresh engine. The call is still shown and chimed, never spoken, and the
supervisors' board shows a display fault; it is reported once, not per call.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter_app.audio.announcements import Announcement
from counter_app.audio.player import AnnouncementPlayer
from counter_app.audio.speech import SpeechRenderer
from counter_app.client.api import ApiClient
from counter_app.views.display.station import DisplayStation, chime_path
from counter_app.views.display.window import DisplayWindow
from tests.gui import supervisor_helpers
from tests.gui.no_sound import NO_SOUND_SERVER
from tests.gui.supervisor_helpers import Office, supervisor_window
from tests.gui.waits import WAIT_MS
from tests.support.error_logs import ErrorLogs
from tests.support.queue_ops import act, call_next, issue, set_state

pytestmark = [
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng"),
    # Without a sound server (the tests' machine), QtMultimedia says so when a player starts.
    pytest.mark.qt_log_ignore(*NO_SOUND_SERVER, extend=True),
]

office = supervisor_helpers.office  # the fixture: a server whose clock stands still

SILENT_ENGINE = """#!/bin/sh
# espeak-ng's voice list, but no sound for any phrase (exit 0, no file).
case "$1" in --voices=*) exec espeak-ng "$1";; esac
cat > /dev/null
exit 0
"""


@pytest.fixture
def silent_engine(tmp_path: Path) -> Path:
    program = tmp_path / "espeak-ng-silent"
    program.write_text(SILENT_ENGINE)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


@pytest.fixture
def station(office: Office, tmp_path: Path, silent_engine: Path) -> Iterator[DisplayStation]:
    run = office.running
    renderer = SpeechRenderer(tmp_path / "speech", program=str(silent_engine))
    player = AnnouncementPlayer(renderer, chime_path())
    window = DisplayWindow()
    tv = DisplayStation(ApiClient(run.server.url, run.office.display_token), window, player=player)
    tv.start()
    yield tv
    tv.stop()
    renderer.close()
    window.close()


def test_speech_failing_twice_is_a_display_fault_and_the_chime_still_plays(
    qtbot: QtBot, office: Office, station: DisplayStation, error_logs: ErrorLogs
) -> None:
    run = office.running
    player = station.player
    assert player is not None
    chimed: list[Announcement] = []
    spoken: list[Announcement] = []
    said: list[Announcement] = []
    player.chime_started.connect(chimed.append)
    player.speech_started.connect(spoken.append)
    player.finished.connect(said.append)
    qtbot.waitUntil(
        lambda: station.feed is not None and station.feed.board is not None, timeout=WAIT_MS
    )
    supervisors = supervisor_window(qtbot, run.server.url)
    officer = run.login("petugas1")
    set_state(officer, run.office.counters[1], "open")
    for _ in range(2):
        issue(run.kiosk, run.office.services["A"])

    first = call_next(officer, run.office.counters[1])
    assert first is not None
    # Rendered, found empty, rendered again in a fresh engine, found empty: a fault.
    qtbot.waitUntil(lambda: len(said) == 1, timeout=3 * WAIT_MS)
    assert [a.ticket_id for a in chimed] == [first["id"]]  # the hall heard the chime
    assert spoken == []  # and no speech was played
    assert station.window.call.number.text() == first["number"]
    qtbot.waitUntil(lambda: len(supervisors.alerts.texts()) == 1, timeout=WAIT_MS)
    (alert,) = supervisors.alerts.texts()
    assert "Suara panggilan TV gagal" in alert and "wrote no sound" in alert

    # The next call fails the same way: chimed again, but not reported again.
    act(officer, first["id"], "finish")
    second = call_next(officer, run.office.counters[1])
    assert second is not None
    qtbot.waitUntil(lambda: len(said) == 2, timeout=3 * WAIT_MS)
    assert [a.ticket_id for a in chimed] == [first["id"], second["id"]]
    assert spoken == []
    assert len(station.faults_reported) == 1
    assert len(supervisors.alerts.texts()) == 1
    (logged,) = error_logs.take()  # said once, at the first failure
    assert "chimed but not spoken" in logged.getMessage()
