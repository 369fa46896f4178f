"""core.journal_visits: report records from journal events alone, on hand-made events (the
agreement with the branch's own report is tests/integration/test_hub_reports_agree.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from counter_app.core.journal_visits import JournalVisits, epoch_ms
from counter_app.core.reports import summarise_records

DAY = date(2026, 3, 2)
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 WIB


class Journal:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(
        self,
        kind: str,
        minute: float,
        ticket_id: int,
        *,
        state: str = "waiting",
        service_id: int = 1,
        day: date = DAY,
        counter: int | None = None,
        user: int | None = None,
        **ticket: Any,
    ) -> None:
        at = T0 + timedelta(minutes=minute)
        self.events.append(
            {
                "seq": len(self.events) + 1,
                "kind": kind,
                "at": at.isoformat(),
                "ticket": {
                    "id": ticket_id,
                    "service_id": service_id,
                    "service_day": day.isoformat(),
                    "state": state,
                    "training": False,
                    "transferred_from_id": None,
                    "enqueued_at": (T0 + timedelta(minutes=ticket.pop("enqueued", 0))).isoformat(),
                    "call_count": ticket.pop("calls", 0),
                    **ticket,
                },
                "counter": None if counter is None else {"id": counter, "officer_id": None},
                "user_id": user,
            }
        )

    def holder(self, minute: float, counter: int, officer: int | None) -> None:
        self.events.append(
            {
                "seq": len(self.events) + 1,
                "kind": "counter.state",
                "at": (T0 + timedelta(minutes=minute)).isoformat(),
                "ticket": None,
                "counter": {"id": counter, "officer_id": officer},
                "user_id": officer,
            }
        )


def figures(journal: Journal, targets: dict[int, float] | None = None) -> Any:
    visits = JournalVisits(DAY, DAY).extend(journal.events)
    report = summarise_records(
        visits.records(), targets or {1: 1800.0}, "Asia/Jakarta", visits.holders().holder
    )
    return report


def test_a_served_ticket_waits_to_its_first_call_and_is_served_from_its_start() -> None:
    j = Journal()
    j.holder(-5, 10, 7)
    j.add("ticket.issued", 0, 1)
    j.add("ticket.called", 12, 1, state="called", counter=10, calls=1)
    j.add("ticket.recalled", 13, 1, state="called", counter=10, calls=2)
    j.add("ticket.called", 14, 1, state="called", counter=10, calls=2)  # a second call
    j.add("ticket.started", 15, 1, state="serving", counter=10, calls=2)
    j.add("ticket.finished", 20, 1, state="done", counter=10, calls=2)
    report = figures(j)
    assert (report.total.issued, report.total.served, report.total.called) == (1, 1, 1)
    assert report.total.mean_wait_seconds == 12 * 60  # to the first call
    assert report.total.mean_service_seconds == 5 * 60  # start → finish
    assert report.total.within_target == 1
    assert report.officers[7].served == 1  # who held counter 10
    assert report.arrivals_by_hour[8] == 1


def test_finished_without_start_counts_from_the_last_call() -> None:
    j = Journal()
    j.add("ticket.issued", 0, 1)
    j.add("ticket.called", 5, 1, state="called", counter=10, calls=1)
    j.add("ticket.called", 9, 1, state="called", counter=10, calls=2)
    j.add("ticket.finished", 12, 1, state="done", counter=10, calls=2)
    assert figures(j).total.mean_service_seconds == 3 * 60


def test_an_undone_skip_is_no_no_show_and_a_skip_called_back_is_one() -> None:
    j = Journal()
    j.add("ticket.issued", 0, 1)
    j.add("ticket.issued", 0, 2)
    j.add("ticket.called", 10, 1, state="called", counter=10, calls=1)
    j.add("ticket.skipped", 11, 1, state="no_show", counter=10, calls=1)
    j.add("ticket.skip_undone", 11.1, 1, state="called", counter=10, calls=1)
    j.add("ticket.finished", 15, 1, state="done", counter=10, calls=1)
    j.add("ticket.called", 20, 2, state="called", counter=10, calls=1)
    j.add("ticket.skipped", 21, 2, state="no_show", counter=10, calls=1)
    j.add("ticket.called", 30, 2, state="called", counter=10, calls=2)
    j.add("ticket.finished", 35, 2, state="done", counter=10, calls=2)
    total = figures(j).total
    assert (total.served, total.no_show) == (2, 1)


def test_a_transfer_closes_the_old_visit_and_opens_one_that_waits_from_it() -> None:
    j = Journal()
    j.add("ticket.issued", 0, 1)
    j.add("ticket.called", 10, 1, state="called", counter=10, calls=1)
    j.add("ticket.transferred", 12, 2, service_id=2, transferred_from_id=1, counter=10, enqueued=12)
    j.add("ticket.called", 20, 2, service_id=2, transferred_from_id=1, state="called", calls=1)
    report = figures(j, {1: 600.0, 2: 600.0})
    assert (report.total.issued, report.total.transferred_in) == (1, 1)
    assert report.services[1].transferred == 1 and report.counters[10].transferred == 1
    assert report.services[2].mean_wait_seconds == 8 * 60  # from the transfer
    assert report.total.within_target == 2


def test_other_days_and_training_tickets_are_left_out() -> None:
    j = Journal()
    j.add("ticket.issued", 0, 1)
    j.add("ticket.issued", 0, 2, day=date(2026, 3, 1))
    j.add("ticket.issued", 0, 3, training=True)
    visits = JournalVisits(DAY, DAY).extend(j.events)
    assert [r[0] for r in visits.records()] == [1]


def test_the_longest_waiting_ticket_is_read_from_the_latest_state() -> None:
    j = Journal()
    j.add("ticket.issued", 0, 1)
    j.add("ticket.issued", 5, 2, enqueued=5)
    j.add("ticket.issued", 7, 3, service_id=2, enqueued=7)
    j.add("ticket.called", 10, 1, state="called", counter=10, calls=1)
    j.add("ticket.issued", 1, 4, training=True, enqueued=1)
    visits = JournalVisits(DAY, DAY).extend(reversed(j.events))  # any order
    since = visits.waiting_since(DAY)
    assert since == {1: epoch_ms(T0 + timedelta(minutes=5)), 2: epoch_ms(T0 + timedelta(minutes=7))}


def test_epoch_milliseconds_round_half_up_as_the_database_does() -> None:
    assert epoch_ms("1970-01-01T00:00:00.0015+00:00") == 2
    assert epoch_ms("1970-01-01T07:00:00.0004+07:00") == 0
    assert epoch_ms(datetime(2026, 3, 2, tzinfo=UTC)) == 1_772_409_600_000
