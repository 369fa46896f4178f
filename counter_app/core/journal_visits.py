"""Report records from a branch's journal events alone (the hub's copy; docs/HUB.md).

The branch builds its report from its tables (``store.reports``: one SQL row per ticket row,
the times read from that row's events). The hub holds only the journal, so this module does
the same reading in Python over the event payloads, and hands :func:`core.reports.summarise_records`
the same :class:`core.reports.Record` tuples: the arithmetic, and so every definition of
docs/REPORTS.md (waiting time, service time, no-shows called back, within target), is the one
the branch uses. ``tests/e2e/test_hub_reports.py`` checks a branch's own report against the
hub's for the same day.

The rules, as ``store.reports._visit_records`` applies them to the tables:

* a ticket row (``ticket.id``) belongs to the period by its ``service_day``; training
  tickets never count;
* its arrival is its ``ticket.issued`` event, or the ``ticket.transferred`` event that
  created it (a transfer's event carries the new row, whose ``transferred_from_id`` is the
  old one);
* first and last call: the earliest and latest ``ticket.called``;
* the closing event is a ``ticket.finished``, ``ticket.skipped``, ``ticket.cancelled`` or
  ``ticket.expired`` of the row; a skip counts only when no ``ticket.called`` or
  ``ticket.skip_undone`` of the row follows it;
* a row without a closing event that was transferred away is closed by the transfer event
  of its continuation (when that continuation belongs to the period too);
* a no-show called back: called more than once, not closed by a skip, and more skips than
  undone skips.

Times are whole milliseconds of each event's time, subtracted afterwards, as the database
does it. Like the SQL's outer joins, a row with two start events gives two records (the
tables never hold such a row; the rule is kept so both sides stay one definition).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from counter_app.core.reports import CounterHolders, Outcome

ISSUED = "ticket.issued"
CALLED = "ticket.called"
STARTED = "ticket.started"
TRANSFERRED = "ticket.transferred"
SKIPPED = "ticket.skipped"
SKIP_UNDONE = "ticket.skip_undone"
COUNTER_STATE = "counter.state"
CLOSING: dict[str, Outcome] = {
    "ticket.finished": Outcome.SERVED,
    SKIPPED: Outcome.NO_SHOW,
    "ticket.cancelled": Outcome.CANCELLED,
    "ticket.expired": Outcome.EXPIRED,
}
WAITING = "waiting"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_ms(at: str | datetime) -> int:
    """Whole milliseconds since 1970 (half up), as ``store.reports.epoch_ms`` on PostgreSQL."""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    micro = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return (micro + 500) // 1000


@dataclass
class _Row:
    """What the journal says of one ticket row."""

    service_id: int
    service_day: str
    transferred_from: int | None
    training: bool
    call_count: int = 0
    state: str = ""
    enqueued_at: str | None = None
    arrivals: list[dict[str, Any]] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)  # epoch ms
    starts: list[int] = field(default_factory=list)
    closes: list[dict[str, Any]] = field(default_factory=list)
    reopen_seqs: list[int] = field(default_factory=list)
    skips: int = 0
    undone: int = 0


class JournalVisits:
    """Feed a branch's events (payloads, any order); read the period's records back.

    ``first``/``last``: the service days of the period. Counter events are kept whatever
    their day (who held a counter is read by journal sequence).
    """

    def __init__(self, first: date, last: date) -> None:
        self.first = first.isoformat()
        self.last = last.isoformat()
        self._rows: dict[int, _Row] = {}
        self._seq_of_row: dict[int, int] = {}  # latest seq seen per row (for its state)
        self._continued_by: dict[int, list[int]] = {}  # old row -> rows transferred from it
        self.holder_changes: list[tuple[int, int, int | None]] = []
        self.unreadable = 0

    def add(self, event: Mapping[str, Any]) -> None:
        """Take one event; one the reducer cannot read (not from this program's journal) is
        counted in ``unreadable`` and otherwise left out, never a failure."""
        try:
            self._add(event)
        except (KeyError, TypeError, ValueError, AttributeError):
            self.unreadable += 1

    def _add(self, event: Mapping[str, Any]) -> None:
        kind = str(event.get("kind", ""))
        seq = int(event["seq"])
        if kind == COUNTER_STATE:
            counter = event.get("counter") or {}
            if counter.get("id") is not None:
                self.holder_changes.append((int(counter["id"]), seq, counter.get("officer_id")))
            return
        ticket = event.get("ticket")
        if not kind.startswith("ticket.") or not ticket:
            return
        day = str(ticket.get("service_day", ""))
        if not self.first <= day <= self.last:
            return
        ticket_id = int(ticket["id"])
        row = self._rows.get(ticket_id)
        if row is None:
            row = self._rows[ticket_id] = _Row(
                service_id=int(ticket["service_id"]),
                service_day=day,
                transferred_from=ticket.get("transferred_from_id"),
                training=bool(ticket.get("training", False)),
            )
        if seq >= self._seq_of_row.get(ticket_id, -1):
            self._seq_of_row[ticket_id] = seq
            row.call_count = int(ticket.get("call_count") or 0)
            row.state = str(ticket.get("state", ""))
            row.enqueued_at = ticket.get("enqueued_at")
        at = epoch_ms(event["at"])
        counter = event.get("counter") or {}
        fact = {
            "seq": seq,
            "at": at,
            "kind": kind,
            "counter_id": counter.get("id"),
            "user_id": event.get("user_id"),
        }
        if kind in (ISSUED, TRANSFERRED):
            row.arrivals.append(fact)
            if kind == TRANSFERRED and row.transferred_from is not None:
                self._continued_by.setdefault(int(row.transferred_from), []).append(ticket_id)
        if kind == CALLED:
            row.calls.append(at)
        if kind in (CALLED, SKIP_UNDONE):
            row.reopen_seqs.append(seq)
        if kind == STARTED:
            row.starts.append(at)
        if kind in CLOSING:
            row.closes.append(fact)
        if kind == SKIPPED:
            row.skips += 1
        elif kind == SKIP_UNDONE:
            row.undone += 1

    def extend(self, events: Iterable[Mapping[str, Any]]) -> JournalVisits:
        for event in events:
            self.add(event)
        return self

    def holders(self) -> CounterHolders:
        return CounterHolders(
            (c, s, None if o is None else int(o)) for c, s, o in self.holder_changes
        )

    def _moves(self, ticket_id: int) -> list[dict[str, Any]]:
        moves: list[dict[str, Any]] = []
        for continued_id in self._continued_by.get(ticket_id, ()):
            continued = self._rows[continued_id]
            moves.extend(a for a in continued.arrivals if a["kind"] == TRANSFERRED)
        return moves

    def records(self) -> list[tuple[Any, ...]]:
        """The period's :class:`core.reports.Record` tuples (training tickets left out)."""
        out: list[tuple[Any, ...]] = []
        for ticket_id, row in self._rows.items():
            if row.training:
                continue
            arrivals: list[dict[str, Any] | None] = [*row.arrivals] or [None]
            closes = [
                c
                for c in row.closes
                if c["kind"] != SKIPPED or not any(s > c["seq"] for s in row.reopen_seqs)
            ]
            first_call = min(row.calls) if row.calls else None
            last_call = max(row.calls) if row.calls else None
            for arrival in arrivals:
                arrived = None if arrival is None else arrival["at"]
                wait = None if first_call is None or arrived is None else first_call - arrived
                starts: list[int | None] = [*row.starts] or [None]
                for started in starts:
                    closing: list[dict[str, Any] | None] = [*closes] or [None]
                    for close in closing:
                        moves: list[dict[str, Any] | None] = [None]
                        if close is None:
                            moves = [*self._moves(ticket_id)] or [None]
                        for moved in moves:
                            out.append(
                                self._record(row, arrived, wait, started, last_call, close, moved)
                            )
        return out

    @staticmethod
    def _record(
        row: _Row,
        arrived: int | None,
        wait: int | None,
        started: int | None,
        last_call: int | None,
        close: dict[str, Any] | None,
        moved: dict[str, Any] | None,
    ) -> tuple[Any, ...]:
        outcome: str | None = None
        service: int | None = None
        if close is not None:
            outcome = CLOSING[close["kind"]].value
            if outcome == Outcome.SERVED:
                began = started if started is not None else last_call
                service = None if began is None else close["at"] - began
        elif moved is not None:
            outcome = Outcome.TRANSFERRED.value
        closer = close if close is not None else moved
        no_show_before = (
            row.call_count > 1
            and (close is None or close["kind"] != SKIPPED)
            and row.skips > row.undone
        )
        return (
            row.service_id,
            row.transferred_from is not None,
            arrived,
            wait,
            service,
            outcome,
            None if closer is None else closer["counter_id"],
            None if closer is None else closer["seq"],
            None if closer is None else closer["user_id"],
            no_show_before,
        )

    def waiting_since(self, day: date) -> dict[int, int]:
        """Per service, the epoch ms of the longest-waiting ticket of ``day`` still waiting
        at the last event seen (training tickets left out)."""
        wanted = day.isoformat()
        moved_away = set(self._continued_by)
        oldest: dict[int, int] = {}
        for ticket_id, row in self._rows.items():
            if (
                row.training
                or row.service_day != wanted
                or row.state != WAITING
                or ticket_id in moved_away
                or row.enqueued_at is None
            ):
                continue
            since = epoch_ms(row.enqueued_at)
            if row.service_id not in oldest or since < oldest[row.service_id]:
                oldest[row.service_id] = since
        return oldest
