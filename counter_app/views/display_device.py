"""A screen signed in with a display device's token: find its branch, then follow it live.

Shared by the TV station and the survey screen. Asks the server who the token belongs to
(retrying while the server cannot be reached, so a station may start before the server),
refuses a token that is not a display device's, and then hands over a ``BoardFeed`` of that
branch, not yet started, for the station to wire and start.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from counter_app.client.api import ApiClient
from counter_app.client.errors import ApiError
from counter_app.core.vocabulary import DeviceKind
from counter_app.schemas.auth import WhoAmI
from counter_app.views.board_feed import RETRY_MS, BoardFeed
from counter_app.views.live import LiveEvents
from counter_app.views.messages import describe
from counter_app.views.tasks import TaskRunner
from counter_app.views.timers import later

log = logging.getLogger(__name__)


class DisplayDevice(QObject):
    ready = Signal(object)  # BoardFeed of the token's branch, not started
    refused = Signal(str)  # why the server will not have this token (a set-up fault)
    unreachable = Signal()  # the server did not answer; asking again shortly

    def __init__(
        self, client: ApiClient, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.runner = runner
        self._started = False

    def start(self) -> None:
        self._started = True
        self._ask()

    def stop(self) -> None:
        self._started = False

    def _ask(self) -> None:
        if not self._started:
            return
        self.runner.run(self.client.whoami, self._answered, self._failed)

    def _answered(self, who: WhoAmI) -> None:
        if who.branch_id is None or who.device_kind is not DeviceKind.DISPLAY:
            self._refuse(self.tr("This token is not a display device's token."))
            return
        token = self.client.token
        assert token is not None
        branch_id, client = who.branch_id, self.client
        parent = self.parent()
        live = LiveEvents(client.base_url, token, branch_id, parent)
        feed = BoardFeed(lambda: client.queue_snapshot(branch_id), live, self.runner, parent)
        self.ready.emit(feed)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ApiError) and exc.status in (401, 403):
            self._refuse(describe(exc))
            return
        self.unreachable.emit()
        later(self, RETRY_MS, self._ask)

    def _refuse(self, message: str) -> None:
        log.error("display device refused by the server: %s", message)
        self.refused.emit(message)
