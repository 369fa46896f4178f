"""Say calls through the real announcer and print when each step began (for the sound test).

Run as a process of its own (its PulseAudio server comes from PULSE_SERVER):
``python -m tests.support.announce_in_hall CACHE_DIR TEXT [TEXT…]``. Prints one JSON line per
step: ``{"step": "chime"|"speech"|"done", "text": …, "t": seconds since the first call}``,
after ``{"step": "no_voice", "text": reason}`` when there is no Indonesian voice.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from counter_app.audio.announcements import Announcement
from counter_app.audio.player import AnnouncementPlayer
from counter_app.audio.speech import SpeechRenderer
from counter_app.views.display.station import chime_path

GIVE_UP_MS = 60_000


def main(cache: Path, texts: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    app = QApplication(sys.argv[:1])
    renderer = SpeechRenderer(cache)
    if not renderer.start():  # the station goes on: calls chimed, not spoken
        print(json.dumps({"step": "no_voice", "text": renderer.voice_error}), flush=True)
    player = AnnouncementPlayer(renderer, chime_path())
    started = time.monotonic()

    def report(step: str) -> object:
        def emit(announcement: Announcement) -> None:
            line = {"step": step, "text": announcement.text, "t": time.monotonic() - started}
            print(json.dumps(line), flush=True)

        return emit

    player.chime_started.connect(report("chime"))
    player.speech_started.connect(report("speech"))
    player.finished.connect(report("done"))
    left = [len(texts)]

    def finished(_announcement: Announcement) -> None:
        left[0] -= 1
        if left[0] == 0:
            app.quit()

    player.finished.connect(finished)
    for number, text in enumerate(texts, start=1):
        player.announce(Announcement(number, 1, text))
    QTimer.singleShot(GIVE_UP_MS, app.quit)
    app.exec()
    player.stop()
    renderer.close()
    return 0 if left[0] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
