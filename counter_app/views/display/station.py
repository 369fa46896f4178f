"""A TV station: the display window fed live from the server, the hall's voice, LED displays.

The station owns the parts and wires them: the board feed (snapshot, events, reconnects),
the window (drawing), the announcer (chime and speech, if this station announces) and the LED
outputs. Only calls that arrive *live* are announced: a snapshot after a reconnect repaints
the screen without replaying the calls the hall has already heard.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from platformdirs import user_cache_dir
from PySide6.QtCore import QObject, QTimer

from counter_app.audio.announcements import Announcement
from counter_app.audio.player import AnnouncementPlayer
from counter_app.audio.speech import SpeechRenderer
from counter_app.client.api import ApiClient
from counter_app.client.board import Change
from counter_app.core.speech import Language, announcement
from counter_app.core.vocabulary import FaultKind
from counter_app.hardware.led import LedDisplay
from counter_app.schemas.tickets import TicketOut
from counter_app.views.board_feed import BoardFeed
from counter_app.views.display.window import DisplayWindow
from counter_app.views.display_device import DisplayDevice
from counter_app.views.led_outputs import LedOutputs
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)
CLOCK_MS = 1000
# A call older than this when it reaches the screen is not announced: the hall has moved on.
STALE_CALL = timedelta(seconds=30)


def chime_path() -> Path:
    return Path(str(resources.files("counter_app.resources").joinpath("sounds/chime.wav")))


def speech_cache_dir() -> Path:
    return Path(user_cache_dir("counter-app")) / "speech"


def call_text(ticket: TicketOut, language: Language) -> str:
    return announcement(
        ticket.prefix,
        ticket.sequence,
        ticket.counter_number or 0,
        ticket.counter_name or "",
        language,
    )


class DisplayStation(QObject):
    def __init__(
        self,
        client: ApiClient,
        window: DisplayWindow,
        *,
        player: AnnouncementPlayer | None = None,
        language: Language = Language.INDONESIAN,
        leds: dict[int, LedDisplay] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.window = window
        self.player = player
        self.language = language
        self.runner = TaskRunner(self)
        self.feed: BoardFeed | None = None
        self.device = DisplayDevice(client, self.runner, self)
        self.device.ready.connect(self._follow)
        self.device.refused.connect(window.show_problem)
        self.device.unreachable.connect(lambda: window.set_online(False))
        self.leds = LedOutputs(leds or {}, self)
        self.leds.fault.connect(lambda message: log.error("%s", message))
        self.clock = QTimer(self)
        self.clock.timeout.connect(self._tick)
        self.live_calls = 0  # calls that arrived live and fresh: announced, if we speak
        self.faults_reported: list[str] = []
        if player is not None:
            player.speech_fault.connect(self.report_speech_fault)

    def start(self) -> None:
        self.device.start()
        self.leds.start()
        self.clock.start(CLOCK_MS)
        if self.player is not None:
            self.player.check_voice()
        if self.window.media is not None:
            self.window.media.start()

    def _follow(self, feed: BoardFeed) -> None:
        self.feed = feed
        feed.changed.connect(self._changed)
        feed.online_changed.connect(self.window.set_online)
        feed.start()

    def stop(self) -> None:
        self.device.stop()
        self.clock.stop()
        if self.feed is not None:
            self.feed.stop()
        self.leds.stop()
        if self.player is not None:
            self.player.stop()
        if self.window.media is not None:
            self.window.media.stop()
        self.runner.wait(3000)

    def _changed(self, changes: set[Change], live: bool) -> None:
        assert self.feed is not None
        board = self.feed.board
        if board is None:
            return
        self.window.show_board(board, changes, live=live)
        self.leds.update(board)
        if Change.RESYNC in changes:
            self._tick()
        if live and Change.CALL in changes and board.last_call is not None:
            event = self.feed.last_event
            age = self.now() - event.at if event is not None else timedelta(0)
            if age > STALE_CALL:
                # A call the stream delivers late (after an outage): shown, not said.
                log.info("not announcing %s: called %s ago", board.last_call.number, age)
                return
            self.live_calls += 1
            self._announce(board.last_call)

    def _announce(self, ticket: TicketOut) -> None:
        if self.player is None:
            return
        text = call_text(ticket, self.language)
        self.player.announce(Announcement(ticket.id, ticket.call_count, text))

    def report_speech_fault(self, reason: str) -> None:
        """Calls are chimed but not spoken: the supervisors' board shows it as a device fault."""
        message = f"Suara panggilan TV gagal (hanya bunyi bel): {reason}"
        self.faults_reported.append(message)

        def failed(exc: Exception) -> None:
            log.warning("could not report the speech fault to the server: %s", exc)

        self.runner.run(
            lambda: self.client.report_device_fault(FaultKind.DISPLAY, message),
            lambda _r: None,
            failed,
        )

    def _tick(self) -> None:
        board = self.feed.board if self.feed else None
        if board is not None:
            self.window.header.show_time(self.now(), board.branch.timezone)

    def now(self) -> datetime:
        return self.feed.server_now() if self.feed else datetime.now(UTC)


def make_player(volume: int, repeat: int) -> AnnouncementPlayer:
    renderer = SpeechRenderer(speech_cache_dir())
    return AnnouncementPlayer(renderer, chime_path(), volume=volume / 100, repeat=repeat)
