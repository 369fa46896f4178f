"""``counter-app survey-tablet``: the survey screen beside a counter, on its own screen."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from counter_app.client.api import ApiClient
from counter_app.views.app import ensure_app
from counter_app.views.display.screens import ScreenKeeper
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals
from counter_app.views.station_pairing import pair_station
from counter_app.views.survey.settings import SurveySettings
from counter_app.views.survey.station import SurveyStation
from counter_app.views.survey.window import SurveyWindow

log = logging.getLogger(__name__)


@dataclass
class OpenSurvey:
    station: SurveyStation
    window: SurveyWindow
    keeper: ScreenKeeper

    def close(self) -> None:
        self.station.stop()
        self.window.close()


def open_survey_screen(
    server_url: str,
    token: str,
    counter_number: int,
    settings: SurveySettings,
    *,
    screen: str | None = None,
    windowed: bool = False,
) -> OpenSurvey:
    """Build, place and start a survey station (needs a running QApplication)."""
    window = SurveyWindow()
    station = SurveyStation(
        ApiClient(server_url, token),
        window,
        counter_number,
        form_seconds=settings.form_seconds,
        thanks_seconds=settings.thanks_seconds,
    )
    keeper = ScreenKeeper(
        window, screen if screen is not None else settings.screen, windowed=windowed
    )
    keeper.place()
    station.start()
    return OpenSurvey(station, window, keeper)


def remember(
    settings: SurveySettings, *, token: str | None, counter: int | None, screen: str | None
) -> None:
    """Keep what the technician gave on the command line for the next start."""
    if token:
        settings.device_token = token
    if counter is not None:
        settings.counter = counter
    if screen is not None:
        settings.screen = screen


def run_survey_tablet(server_url: str | None, *, windowed: bool) -> int:
    app_settings = AppSettings()
    settings = SurveySettings(app_settings.qt)
    counter = settings.counter
    if counter is None:
        log.error("which counter? run `counter-app survey-tablet --counter N` once")
        return 2
    app = ensure_app(app_settings)
    token = settings.device_token
    if not token:
        paired = pair_station(
            QCoreApplication.translate("Pairing", "Survey screen — pairing"),
            server_url or app_settings.server_url,
        )
        if paired is None:
            log.error(
                "no display device token: pair with a code, or run "
                "`counter-app survey-tablet --token TOKEN` once"
            )
            return 2
        server_url = app_settings.server_url = paired[0]
        token = settings.device_token = paired[1]
    stop = quit_on_signals(app)
    shown = open_survey_screen(
        server_url or app_settings.server_url, token, counter, settings, windowed=windowed
    )
    if not stop.requested:
        app.exec()
    shown.close()
    return 0
