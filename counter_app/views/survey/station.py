"""The counter's survey station: when a ticket at *its* counter is finished, ask its citizen.

It follows the branch's event stream (``BoardFeed``: snapshot, events, reconnects) with a
display device token. A ``ticket.finished`` event whose ticket was at this counter (by its
number, ``TicketOut.counter_number``) opens the nine questions for that ticket's code; the
answers go to ``submit_survey`` in a worker thread. The screen goes back to idle when the
form is left alone for a while, a short while after the thanks, or at once for the next
ticket finished at this counter (its citizen is the one standing there now).

A finish that reaches the station late (replayed after a network outage) is not asked
about: its citizen has gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer

from counter_app.client.api import ApiClient
from counter_app.client.errors import ApiError
from counter_app.core.error_codes import ErrorCode
from counter_app.core.ikm import ELEMENT_COUNT
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.survey import SurveyAnswers, SurveySubmitted
from counter_app.schemas.tickets import EventOut, TicketOut
from counter_app.views.board_feed import BoardFeed
from counter_app.views.display_device import DisplayDevice
from counter_app.views.messages import describe
from counter_app.views.survey.window import SurveyWindow
from counter_app.views.tasks import TaskRunner

log = logging.getLogger(__name__)
# Answers that mean "this ticket's survey is closed": say thank you, or just go back to idle.
ALREADY_ANSWERED = ErrorCode.SURVEY_ALREADY_ANSWERED
NOT_SURVEYED = frozenset({ErrorCode.TICKET_NOT_DONE, ErrorCode.TICKET_NOT_FOUND})
# A finish older than this when it reaches the station (replayed after an outage) is not asked
# about: its citizen has left the counter.
STALE_FINISH = timedelta(minutes=2)


@dataclass
class Form:
    """The survey being answered: one ticket, its answers so far, where we are."""

    ticket: TicketOut
    answers: list[int] = field(default_factory=list)
    index: int = 0
    sending: bool = False


class SurveyStation(QObject):
    def __init__(
        self,
        client: ApiClient,
        window: SurveyWindow,
        counter_number: int,
        *,
        form_seconds: int,
        thanks_seconds: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.window = window
        self.counter_number = counter_number
        self.form_seconds = form_seconds
        self.thanks_seconds = thanks_seconds
        self.runner = TaskRunner(self)
        self.feed: BoardFeed | None = None
        self.form: Form | None = None
        self.submitted: list[SurveySubmitted] = []  # what this station has sent (for tests)
        self.device = DisplayDevice(client, self.runner, self)
        self.device.ready.connect(self._follow)
        self.device.refused.connect(window.show_problem)
        self.device.unreachable.connect(lambda: window.set_online(False))
        self.back_to_idle = QTimer(self)
        self.back_to_idle.setSingleShot(True)
        self.back_to_idle.timeout.connect(self.idle)
        window.answered.connect(self.answer)
        window.back_requested.connect(self.back)
        window.retry_requested.connect(self._submit)
        window.set_counter_name(self.tr("Counter {number}").format(number=counter_number))

    # --- starting and stopping ---

    def start(self) -> None:
        self.device.start()

    def stop(self) -> None:
        self.device.stop()
        self.back_to_idle.stop()
        if self.feed is not None:
            self.feed.stop()
        self.runner.wait(3000)

    def _follow(self, feed: BoardFeed) -> None:
        self.feed = feed
        # Every event, straight from the stream: the board reports only what it changes.
        feed.live.event_received.connect(self._on_event)
        feed.online_changed.connect(self.window.set_online)
        feed.changed.connect(lambda _changes, _live: self._show_counter_name())
        feed.start()

    def _show_counter_name(self) -> None:
        board = self.feed.board if self.feed else None
        if board is None:
            return
        for counter in board.counters.values():
            if counter.number == self.counter_number:
                self.window.set_counter_name(f"{board.branch.name} — {counter.name}")
                return
        self.window.show_problem(
            self.tr("There is no counter {number} in this office.").format(
                number=self.counter_number
            )
        )

    # --- the survey ---

    def _on_event(self, event: EventOut) -> None:
        ticket = event.ticket
        if (
            event.kind != EventKind.TICKET_FINISHED
            or ticket is None
            or ticket.state is not TicketState.DONE
            or ticket.counter_number != self.counter_number
        ):
            return
        now = self.feed.server_now() if self.feed else datetime.now(UTC)
        if now - event.at > STALE_FINISH:
            log.info("not asking about %s: finished %s ago", ticket.number, now - event.at)
            return
        self.offer(ticket)

    def offer(self, ticket: TicketOut) -> None:
        """Ask the citizen of ``ticket`` (just finished here); replaces any form shown."""
        self.form = Form(ticket)
        self._show_question()

    def _show_question(self) -> None:
        form = self.form
        if form is None:
            return
        chosen = form.answers[form.index] if form.index < len(form.answers) else None
        self.window.show_question(form.index, form.ticket.number, chosen)
        self.back_to_idle.start(self.form_seconds * 1000)  # left alone: back to idle

    def answer(self, value: int) -> None:
        form = self.form
        if form is None or form.sending or value not in (1, 2, 3, 4):
            return
        del form.answers[form.index :]
        form.answers.append(value)
        form.index += 1
        if form.index < ELEMENT_COUNT:
            self._show_question()
        else:
            self._submit()

    def back(self) -> None:
        form = self.form
        if form is None or form.sending or form.index == 0:
            return
        form.index -= 1
        self._show_question()

    def _submit(self) -> None:
        form = self.form
        if form is None or form.sending or len(form.answers) != ELEMENT_COUNT:
            return
        form.sending = True
        answers = SurveyAnswers.model_validate(
            {f"u{i}": value for i, value in enumerate(form.answers, start=1)}
        )
        code = form.ticket.code
        self.window.show_sending()

        def done(submitted: SurveySubmitted) -> None:
            self.submitted.append(submitted)
            if self.form is form:
                self._thank()

        def failed(exc: Exception) -> None:
            if self.form is not form:
                return  # the next citizen's form is up; this one has gone
            form.sending = False
            if isinstance(exc, ApiError) and exc.code == ALREADY_ANSWERED:
                self._thank()  # answered already (on the phone, or a lost first answer)
            elif isinstance(exc, ApiError) and exc.code in NOT_SURVEYED:
                self.idle()
            else:
                log.warning("survey answer for %s not sent: %s", code, exc)
                self.window.show_failure(describe(exc))
                self.back_to_idle.start(self.form_seconds * 1000)

        self.runner.run(lambda: self.client.submit_survey(code, answers), done, failed)

    def _thank(self) -> None:
        self.form = None
        self.window.show_thanks()
        self.back_to_idle.start(self.thanks_seconds * 1000)

    def idle(self) -> None:
        form = self.form
        if form is not None and form.sending:
            # Still waiting for the server's answer: it decides (thanks or failure).
            self.back_to_idle.start(self.thanks_seconds * 1000)
            return
        self.form = None
        self.back_to_idle.stop()
        self.window.show_idle()
