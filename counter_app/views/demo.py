"""The windows of ``counter-app demo``: the counter window, signed in as petugas1 at Loket 1,
and the waiting-room TV window beside it (windowed, so it covers nothing).

The caller runs the server (in a background thread: Qt owns the main thread) and stops it
when this returns. Signing in happens in a worker while the Qt loop runs, as everywhere else;
after that it is the officer's ordinary day (``run_counter``): logging out shows the sign-in.
"""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import QEventLoop

from counter_app.views.app import ensure_app
from counter_app.views.counter.run import run_counter
from counter_app.views.counter.session import OfficerSession, open_counter, sign_in
from counter_app.views.settings import AppSettings
from counter_app.views.signals import quit_on_signals
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)
DEMO_OFFICER: Final = "petugas1"
DEMO_COUNTER: Final = 1


def sign_in_at_demo_counter(server_url: str, password: str) -> tuple[OfficerSession, int]:
    """Blocking: sign in as the demo officer and open the demo counter."""
    session = sign_in(server_url, DEMO_OFFICER, password)
    counter = session.counter_by_number(DEMO_COUNTER)
    open_counter(session, counter.id)
    return session, counter.id


def run_demo_window(server_url: str, password: str, display_token: str | None = None) -> int:
    settings = AppSettings()
    if settings.server_url != server_url:
        settings.server_url = server_url  # the sign-in after a log-out offers this server
    app = ensure_app(settings)
    stop = quit_on_signals(app)
    outcome: list[tuple[OfficerSession, int] | Exception] = []
    loop = QEventLoop()

    def finished(result: tuple[OfficerSession, int] | Exception) -> None:
        outcome.append(result)
        loop.quit()

    stop.quit_requested.connect(loop.quit)
    runner = TaskRunner()
    runner.run(lambda: sign_in_at_demo_counter(server_url, password), finished, finished)
    loop.exec()  # the Qt thread keeps handling events (and signals) while the worker signs in
    if stop.requested or not outcome:
        return 0
    result = outcome[0]
    if isinstance(result, Exception):
        log.error("the demo could not open %s's counter: %s", DEMO_OFFICER, result)
        return 1
    return run_counter(
        server_url,
        signed_in=result,
        with_display=display_token is not None,
        display_token=display_token,
        windowed_display=True,
    )
