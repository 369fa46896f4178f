"""What the kiosk does apart from drawing: the live board, taking a number, checking in, and
telling the server about printer faults.

One request at a time (the shared ``OneRequest``, as in the counter and supervisor windows):
while a ticket is being issued (or a booking checked in) a second tap is ignored. The
idempotency key belongs to the citizen's choice, not to the tap: it is made when the kiosk
starts a new choice and kept until the kiosk returns to its start screen, so a lost answer
retried, or the same button tapped again after an error, gives the same ticket. A lost
network is retried ``RETRIES`` times, then the citizen is told (nobody waits at a kiosk for
minutes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.client.api import ApiClient, new_idempotency_key
from counter_app.client.availability import Offer, offers
from counter_app.client.board import BranchBoard
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import FaultKind
from counter_app.schemas.office import PriorityClassOut
from counter_app.schemas.tickets import TicketOut
from counter_app.views.board_feed import BoardFeed
from counter_app.views.live import LiveEvents
from counter_app.views.one_request import OneRequest
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)
RETRIES = 3  # a ticket request is sent this many more times when the network fails
RESYNC_MS = 10 * 60 * 1000  # a fresh snapshot now and then: the service day moves on


@dataclass
class KioskSetup:
    """Who this kiosk is: from its device token (``whoami``) and the branch's lists."""

    branch_id: int
    device_id: int
    priority_classes: list[PriorityClassOut]


def connect(client: ApiClient) -> KioskSetup:
    """Blocking: check the device token and read the priority classes."""
    me = client.whoami()
    if me.device_id is None or me.branch_id is None or me.device_kind != "kiosk":
        raise AppError(ErrorCode.NOT_A_KIOSK, "This token is not a kiosk's.")
    classes = [c for c in client.list_priority_classes(me.branch_id) if c.active]
    return KioskSetup(me.branch_id, me.device_id, classes)


class KioskController(QObject):
    board_changed = Signal()
    online_changed = Signal(bool)
    busy_changed = Signal(bool)
    ticket_ready = Signal(object)  # TicketOut
    failed = Signal(object)  # the exception; the window words it

    def __init__(self, client: ApiClient, setup: KioskSetup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.setup = setup
        self.runner = TaskRunner(self)
        assert client.token is not None
        live = LiveEvents(client.base_url, client.token, setup.branch_id, self)
        branch_id = setup.branch_id
        self.feed = BoardFeed(lambda: client.queue_snapshot(branch_id), live, self.runner, self)
        self.feed.changed.connect(lambda _changes, _live: self.board_changed.emit())
        self.feed.online_changed.connect(self.online_changed)
        self.requests = OneRequest(self.runner, self, retries=RETRIES)
        self.requests.busy_changed.connect(self.busy_changed)
        self.requests.reached.connect(self.feed.set_online)
        self.requests.done.connect(self._ticket_ready)
        self.requests.refused.connect(self._refused)
        self._key = new_idempotency_key()
        self._resync_timer = QTimer(self)
        self._resync_timer.setInterval(RESYNC_MS)
        self._resync_timer.timeout.connect(self.feed.resync)

    @property
    def board(self) -> BranchBoard | None:
        return self.feed.board

    @property
    def online(self) -> bool:
        return self.feed.online

    @property
    def busy(self) -> bool:
        return self.requests.busy

    @property
    def priority_classes(self) -> list[PriorityClassOut]:
        return self.setup.priority_classes

    def offers(self) -> list[Offer]:
        return offers(self.board) if self.board else []

    # --- starting and stopping ---

    def start(self) -> None:
        self.feed.start()
        self._resync_timer.start()

    def stop(self) -> None:
        self._resync_timer.stop()
        self.feed.stop()
        self.runner.wait(3000)

    # --- a citizen's choice ---

    def new_choice(self) -> None:
        """The start screen again: the next request is a new one."""
        if not self.busy:
            self._key = new_idempotency_key()

    def issue(self, service_id: int, priority_class_id: int | None) -> None:
        self._request(
            "issue",
            lambda key: self.client.issue_ticket(
                service_id, priority_class_id, idempotency_key=key
            ),
        )

    def check_in(self, code: str) -> None:
        self._request(
            "check_in", lambda key: self.client.check_in_booking(code, idempotency_key=key)
        )

    def _request(self, name: str, work: Callable[[str], TicketOut]) -> None:
        # Refused (nothing sent) while another is on its way: a second tap.
        self.requests.start(name, work, self._key)

    def _ticket_ready(self, _name: str, ticket: TicketOut) -> None:
        if self.board is not None:
            self.board.place(ticket)
        self.ticket_ready.emit(ticket)

    def _refused(self, _name: str, exc: Exception) -> None:
        self.failed.emit(exc)

    # --- faults ---

    def report_fault(self, kind: FaultKind, message: str) -> None:
        """Tell the supervisors (journaled on the server); a failure here is only logged."""

        def failed(exc: Exception) -> None:
            log.warning("could not report the %s fault to the server: %s", kind.value, exc)

        self.runner.run(
            lambda: self.client.report_device_fault(kind, message), lambda _r: None, failed
        )
