"""``counter-app display``, and the TV window opened beside a counter window or the demo."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from counter_app.client.api import ApiClient
from counter_app.core.speech import Language
from counter_app.hardware.led_config import parse_assignments
from counter_app.views.app import ensure_app
from counter_app.views.display.screens import ScreenKeeper
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.display.station import DisplayStation, make_player
from counter_app.views.display.window import DisplayWindow
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals
from counter_app.views.station_pairing import pair_station

log = logging.getLogger(__name__)


@dataclass
class OpenDisplay:
    station: DisplayStation
    window: DisplayWindow
    keeper: ScreenKeeper

    def close(self) -> None:
        self.station.stop()
        self.window.close()


def open_display(
    server_url: str,
    token: str,
    settings: DisplaySettings,
    *,
    screen: str | None = None,
    windowed: bool = False,
    announce: bool | None = None,
) -> OpenDisplay:
    """Build, place and start a TV station (needs a running QApplication)."""
    try:
        leds = parse_assignments(settings.led_displays)
    except ValueError as exc:
        log.error("LED displays ignored: %s", exc)
        leds = {}
    window = DisplayWindow(logo=settings.logo, media_folder=settings.media_folder)
    speaks = settings.announce if announce is None else announce
    player = make_player(settings.volume, settings.repeat) if speaks else None
    station = DisplayStation(
        ApiClient(server_url, token),
        window,
        player=player,
        language=settings.speech_language,
        leds=leds,
    )
    keeper = ScreenKeeper(
        window,
        screen if screen is not None else settings.screen,
        windowed=windowed,
        before_show=window.fit_to,
    )
    keeper.place()
    station.start()
    return OpenDisplay(station, window, keeper)


def remember(
    settings: DisplaySettings,
    *,
    token: str | None,
    screen: str | None,
    announce: bool | None,
    volume: int | None,
    repeat: int | None,
    language: str | None,
    leds: str | None,
) -> None:
    """Keep what the technician gave on the command line for the next start."""
    if token:
        settings.device_token = token
    if screen is not None:
        settings.screen = screen
    if announce is not None:
        settings.announce = announce
    if volume is not None:
        settings.volume = volume
    if repeat is not None:
        settings.repeat = repeat
    if language is not None:
        settings.speech_language = Language(language)
    if leds is not None:
        parse_assignments(leds)  # refuse a typo now, not at the next start
        settings.led_displays = leds


def run_display(server_url: str | None, *, screen: str | None, windowed: bool) -> int:
    app_settings = AppSettings()
    settings = DisplaySettings(app_settings.qt)
    app = ensure_app(app_settings)
    if not settings.device_token:
        paired = pair_station(
            QCoreApplication.translate("Pairing", "Waiting-room TV — pairing"),
            server_url or app_settings.server_url,
        )
        if paired is None:
            log.error(
                "no display device token: pair with a code, or run "
                "`counter-app display --token TOKEN` once"
            )
            return 2
        server_url = app_settings.server_url = paired[0]
        settings.device_token = paired[1]
    stop = quit_on_signals(app)
    shown = open_display(
        server_url or app_settings.server_url,
        settings.device_token,
        settings,
        screen=screen,
        windowed=windowed,
    )
    if not stop.requested:
        app.exec()
    shown.close()
    return 0
