"""The windows of ``counter-app demo``: the counter window, signed in as petugas1 at Loket 1,
the waiting-room TV window beside it (windowed, so it covers nothing), the kiosk of the
sample office ("Kiosk lobi"), in a normal window rather than fullscreen, Loket 1's
satisfaction survey screen (windowed; it asks after each ticket finished there), and the
supervisor's board, signed in as ``supervisor``.

The five windows are tiled side by side over the main screen (``demo_tiles``), none on
top of another.

The caller runs the server (in a background thread: Qt owns the main thread) and stops it
when this returns. Signing in happens in a worker while the Qt loop runs, as everywhere else;
after that it is the officer's ordinary day (``run_counter``): logging out shows the sign-in.
The kiosk keeps its settings in a scratch file, so the demo's fresh device token and address
never replace a real kiosk's; it prints nothing unless a printer is chosen in its settings.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEventLoop, QRect, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.client.api import ApiClient
from counter_app.views.app import ensure_app
from counter_app.views.counter.run import run_counter
from counter_app.views.counter.session import OfficerSession, open_counter, sign_in
from counter_app.views.kiosk.controller import KioskSetup, connect
from counter_app.views.kiosk.run import open_kiosk_window
from counter_app.views.kiosk.settings import KioskSettings
from counter_app.views.kiosk.window import KioskWindow
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals
from counter_app.views.supervisor.run import open_supervisor_window
from counter_app.views.supervisor.session import SupervisorSession, sign_in_supervisor
from counter_app.views.supervisor.window import SupervisorWindow
from counter_app.views.survey.run import OpenSurvey, open_survey_screen
from counter_app.views.survey.settings import SurveySettings
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)
DEMO_OFFICER: Final = "petugas1"
DEMO_COUNTER: Final = 1
DEMO_SUPERVISOR: Final = "supervisor"
PLACE_AFTER_MS: Final = (0, 1500)

Prepared = tuple[tuple[OfficerSession, int], tuple[ApiClient, KioskSetup] | None, SupervisorSession]


def sign_in_at_demo_counter(server_url: str, password: str) -> tuple[OfficerSession, int]:
    """Blocking: sign in as the demo officer and open the demo counter."""
    session = sign_in(server_url, DEMO_OFFICER, password)
    counter = session.counter_by_number(DEMO_COUNTER)
    open_counter(session, counter.id)
    return session, counter.id


def prepare(server_url: str, password: str, kiosk_token: str | None) -> Prepared:
    """Blocking: the officer at the counter, the kiosk connected with its token, and the
    supervisor signed in."""
    officer = sign_in_at_demo_counter(server_url, password)
    supervisor = sign_in_supervisor(server_url, DEMO_SUPERVISOR, password)
    if kiosk_token is None:
        return officer, None, supervisor
    client = ApiClient(server_url, kiosk_token)
    return officer, (client, connect(client)), supervisor


def demo_tiles(room: QRect) -> dict[str, QRect]:
    """Where each of the five windows goes on ``room`` (a screen's available geometry), side
    by side with no overlap, keyed by the windows' object names. On the left the counter
    window, and under it the supervisor's board and the survey tablet; on the right the
    kiosk (upright, like a kiosk's screen) over the TV. The shares fit each window's minimum
    size on a 1920×1080 screen; on a smaller one a window may keep its minimum and overlap."""
    x, y, width, height = room.x(), room.y(), room.width(), room.height()
    left = width * 61 // 100
    board = width * 42 // 100
    counter_height = height * 58 // 100
    kiosk_height = height * 71 // 100
    below = height - counter_height
    return {
        "counter_window": QRect(x, y, left, counter_height),
        "supervisor_window": QRect(x, y + counter_height, board, below),
        "survey_window": QRect(x + board, y + counter_height, left - board, below),
        "kiosk_window": QRect(x + left, y, width - left, kiosk_height),
        "display_window": QRect(x + left, y + kiosk_height, width - left, height - kiosk_height),
    }


def place_demo_windows(windows: Iterable[QWidget], room: QRect) -> None:
    """Put each known window in its tile, its frame (title bar, borders) included."""
    tiles = demo_tiles(room)
    for window in windows:
        tile = tiles.get(window.objectName())
        if tile is None or window.isFullScreen():
            continue
        frame = window.frameGeometry()
        inner = window.geometry()
        extra_width = frame.width() - inner.width()
        extra_height = frame.height() - inner.height()
        window.resize(max(1, tile.width() - extra_width), max(1, tile.height() - extra_height))
        window.move(tile.topLeft())


def _place_open_windows() -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.primaryScreen() is not None:
        place_demo_windows(app.topLevelWidgets(), app.primaryScreen().availableGeometry())


def demo_supervisor(session: SupervisorSession) -> SupervisorWindow:
    window = open_supervisor_window(session)
    # The counter window alone decides when the demo ends.
    window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
    window.show()
    return window


def demo_kiosk(
    kiosk: tuple[ApiClient, KioskSetup], server_url: str, folder: Path, qr_url: str | None = None
) -> KioskWindow:
    settings = KioskSettings(QSettings(str(folder / "kiosk.ini"), QSettings.Format.IniFormat))
    settings.server_url = server_url
    if qr_url:
        settings.public_base_url = qr_url  # the LAN address: 127.0.0.1 reaches no phone
    window = open_kiosk_window(*kiosk, settings, fullscreen=False)
    # The counter window alone decides when the demo ends (Qt quits on its last such window).
    window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
    window.show()
    return window


def demo_survey_screen(server_url: str, display_token: str, folder: Path) -> OpenSurvey:
    settings = SurveySettings(QSettings(str(folder / "survey.ini"), QSettings.Format.IniFormat))
    shown = open_survey_screen(server_url, display_token, DEMO_COUNTER, settings, windowed=True)
    shown.window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
    return shown


def run_demo_window(
    server_url: str,
    password: str,
    display_token: str | None = None,
    kiosk_token: str | None = None,
    qr_url: str | None = None,
) -> int:
    settings = AppSettings()
    if settings.server_url != server_url:
        settings.server_url = server_url  # the sign-in after a log-out offers this server
    app = ensure_app(settings)
    stop = quit_on_signals(app)
    outcome: list[Prepared | Exception] = []
    loop = QEventLoop()

    def finished(result: Prepared | Exception) -> None:
        outcome.append(result)
        loop.quit()

    stop.quit_requested.connect(loop.quit)
    runner = TaskRunner()
    runner.run(lambda: prepare(server_url, password, kiosk_token), finished, finished)
    loop.exec()  # the Qt thread keeps handling events (and signals) while the worker signs in
    if stop.requested or not outcome:
        return 0
    result = outcome[0]
    if isinstance(result, Exception):
        log.error("the demo could not open %s's counter: %s", DEMO_OFFICER, result)
        return 1
    officer, kiosk, supervisor = result
    with tempfile.TemporaryDirectory(prefix="counter-app-demo-") as folder:
        kiosk_window = demo_kiosk(kiosk, server_url, Path(folder), qr_url) if kiosk else None
        survey = (
            demo_survey_screen(server_url, display_token, Path(folder)) if display_token else None
        )
        supervisor_window = demo_supervisor(supervisor)
        # The counter window and the TV open inside run_counter: tile all five once its
        # loop runs (and again a moment later, when the TV has found its screen).
        for delay in PLACE_AFTER_MS:
            QTimer.singleShot(delay, _place_open_windows)
        try:
            return run_counter(
                server_url,
                signed_in=officer,
                with_display=display_token is not None,
                display_token=display_token,
                windowed_display=True,
            )
        finally:
            supervisor_window.shut_down()
            if kiosk_window is not None:
                kiosk_window.shut_down()
            if survey is not None:
                survey.close()
