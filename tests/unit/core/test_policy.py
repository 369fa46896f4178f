"""Call order: one test per rule with known answers, then hypothesis properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from counter_app.core.policy import (
    CallHistory,
    Candidate,
    Choice,
    CounterView,
    MultiServiceRule,
    PolicySettings,
    choose_next,
    choose_priority_kind,
    is_due_appointment,
    is_eligible,
    queue_heads,
)

T0 = datetime(2024, 3, 11, 1, 0, tzinfo=UTC)  # 08:00 WIB
NOW = T0 + timedelta(hours=2)
COUNTER = CounterView(counter_id=1, service_ids=(10, 20))
DEFAULT = PolicySettings()
SERVICE_ORDER = PolicySettings(multi_service_rule=MultiServiceRule.SERVICE_ORDER)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ticket(
    ticket_id: int,
    *,
    service: int = 10,
    issued: float | None = None,
    enqueued: float | None = None,
    priority: bool = False,
    target: int | None = None,
    appointment: datetime | None = None,
    front: float | None = None,
) -> Candidate:
    """A waiting ticket; times are minutes after T0 (issued defaults to its id)."""
    issued_at = at(ticket_id if issued is None else issued)
    enqueued_at = issued_at if enqueued is None else at(enqueued)
    front_at = None if front is None else at(front)
    return Candidate(
        ticket_id, service, issued_at, enqueued_at, priority, target, appointment, front_at
    )


def pick(
    waiting: list[Candidate],
    *,
    counter: CounterView = COUNTER,
    history: CallHistory | None = None,
    settings: PolicySettings = DEFAULT,
    now: datetime = NOW,
) -> Choice | None:
    return choose_next(counter, waiting, history or CallHistory(), settings, now)


def picked_id(
    waiting: list[Candidate],
    *,
    counter: CounterView = COUNTER,
    history: CallHistory | None = None,
    settings: PolicySettings = DEFAULT,
    now: datetime = NOW,
) -> int:
    choice = pick(waiting, counter=counter, history=history, settings=settings, now=now)
    assert choice is not None
    return choice.ticket.ticket_id


# --- nothing to call -------------------------------------------------------------------------


def test_nothing_waiting_gives_none() -> None:
    assert pick([]) is None


def test_only_other_services_waiting_gives_none() -> None:
    assert pick([ticket(1, service=30), ticket(2, service=40, priority=True)]) is None


def test_transfer_to_another_counter_is_not_eligible_here() -> None:
    assert pick([ticket(1, service=10, target=2)]) is None


# --- rule 1: transfers addressed to this counter ---------------------------------------------


def test_transfer_to_this_counter_comes_before_everything() -> None:
    waiting = [
        ticket(1, priority=True),
        ticket(2),
        ticket(3, appointment=NOW),
        ticket(9, target=1),
    ]
    history = CallHistory(True, 1)
    choice = pick(waiting, history=history)
    assert choice is not None
    assert choice.ticket.ticket_id == 9
    assert choice.reason == "transfer"
    assert choice.history == history  # transfers do not count in the interleaving


def test_oldest_transfer_first_by_transfer_time_not_arrival() -> None:
    earlier_arrival = ticket(1, issued=0, enqueued=50, target=1)
    earlier_transfer = ticket(2, issued=30, enqueued=40, target=1)
    assert picked_id([earlier_arrival, earlier_transfer]) == 2


def test_transfers_at_the_same_moment_by_ticket_id() -> None:
    assert picked_id([ticket(7, enqueued=40, target=1), ticket(4, enqueued=40, target=1)]) == 4


def test_transfer_to_this_counter_is_called_even_for_a_service_it_does_not_serve() -> None:
    assert picked_id([ticket(1), ticket(5, service=99, target=1)]) == 5


def test_transfer_to_another_counter_is_never_picked() -> None:
    waiting = [ticket(1, issued=0, enqueued=0, target=2), ticket(2, issued=60)]
    choice = pick(waiting)
    assert choice is not None
    assert (choice.ticket.ticket_id, choice.reason) == (2, "regular")


# --- rule 2: due appointments ----------------------------------------------------------------


def test_due_appointment_comes_before_priority_and_regular() -> None:
    slot = NOW + timedelta(minutes=10)
    waiting = [ticket(1, priority=True), ticket(2), ticket(50, appointment=slot)]
    history = CallHistory(False, 3)
    choice = pick(waiting, history=history)
    assert choice is not None
    assert (choice.ticket.ticket_id, choice.reason) == (50, "appointment")
    assert choice.history == history


def test_appointment_is_due_exactly_at_the_early_window() -> None:
    edge = ticket(50, appointment=NOW + timedelta(minutes=15))
    assert is_due_appointment(edge, NOW, DEFAULT)
    assert picked_id([ticket(1), edge]) == 50


def test_appointment_not_yet_due_waits_like_a_regular_ticket() -> None:
    early = ticket(50, appointment=NOW + timedelta(minutes=15, seconds=1))
    assert not is_due_appointment(early, NOW, DEFAULT)
    assert picked_id([ticket(1), early]) == 1
    # ... but it keeps its place by arrival among regular tickets:
    early_arrival = ticket(0, issued=-5, appointment=NOW + timedelta(hours=1))
    choice = pick([ticket(1), early_arrival])
    assert choice is not None
    assert (choice.ticket.ticket_id, choice.reason) == (0, "regular")


def test_appointment_window_is_configurable() -> None:
    settings = PolicySettings(appointment_early=timedelta(0))
    slot_in_a_minute = ticket(50, appointment=NOW + timedelta(minutes=1))
    assert picked_id([ticket(1), slot_in_a_minute], settings=settings) == 1
    a_minute_later = NOW + timedelta(minutes=1)
    assert picked_id([ticket(1), slot_in_a_minute], settings=settings, now=a_minute_later) == 50


def test_earliest_due_slot_first() -> None:
    later_slot = ticket(3, appointment=NOW + timedelta(minutes=5))
    earlier_slot = ticket(8, appointment=NOW - timedelta(minutes=5))
    assert picked_id([later_slot, earlier_slot]) == 8


def test_due_appointment_for_another_service_is_not_eligible() -> None:
    assert picked_id([ticket(1), ticket(2, service=30, appointment=NOW)]) == 1


def test_transfer_with_an_appointment_is_a_transfer() -> None:
    t = ticket(5, target=1, appointment=NOW)
    assert not is_due_appointment(t, NOW, DEFAULT)
    choice = pick([t])
    assert choice is not None
    assert choice.reason == "transfer"


# --- rule 3: priority / regular interleaving -------------------------------------------------


def kinds_called(settings: PolicySettings, calls: int) -> str:
    """Call ``calls`` times from one counter with plenty of both kinds waiting."""
    waiting = [ticket(i, priority=i % 2 == 0) for i in range(1, 2 * calls + 1)]
    history = CallHistory()
    letters = []
    for _ in range(calls):
        choice = pick(waiting, history=history, settings=settings)
        assert choice is not None
        assert choice.reason == ("priority" if choice.ticket.priority else "regular")
        letters.append("P" if choice.ticket.priority else "R")
        waiting.remove(choice.ticket)
        history = choice.history
    return "".join(letters)


@pytest.mark.parametrize(
    ("priority_run", "regular_run", "sequence"),
    [
        (2, 3, "PPRRRPPRRR"),
        (1, 1, "PRPRPRPRPR"),
        (1, 4, "PRRRRPRRRR"),
        (3, 2, "PPPRRPPPRR"),
        (2, 1, "PPRPPRPPRP"),
    ],
)
def test_interleaving_by_runs(priority_run: int, regular_run: int, sequence: str) -> None:
    settings = PolicySettings(priority_run=priority_run, regular_run=regular_run)
    assert kinds_called(settings, 10) == sequence


@pytest.mark.parametrize(
    ("history", "priority_turn"),
    [
        (CallHistory(), True),
        (CallHistory(True, 1), True),
        (CallHistory(True, 2), False),
        (CallHistory(True, 7), False),
        (CallHistory(False, 1), False),
        (CallHistory(False, 2), False),
        (CallHistory(False, 3), True),
        (CallHistory(False, 9), True),
    ],
)
def test_choose_priority_kind(history: CallHistory, priority_turn: bool) -> None:
    assert choose_priority_kind(history, DEFAULT) is priority_turn  # runs 2 and 3


def test_history_after_a_call() -> None:
    assert CallHistory().after(True) == CallHistory(True, 1)
    assert CallHistory(True, 1).after(True) == CallHistory(True, 2)
    assert CallHistory(True, 2).after(False) == CallHistory(False, 1)
    assert CallHistory(False, 3).after(False) == CallHistory(False, 4)


def test_lone_kind_is_called_whatever_the_history() -> None:
    choice = pick([ticket(1, priority=True)], history=CallHistory(True, 2))
    assert choice is not None
    assert (choice.reason, choice.history) == ("priority", CallHistory(True, 3))
    choice = pick([ticket(2)], history=CallHistory(False, 3))
    assert choice is not None
    assert (choice.reason, choice.history) == ("regular", CallHistory(False, 4))


def test_regular_gets_its_turn_after_a_long_priority_only_stretch() -> None:
    choice = pick([ticket(1, priority=True), ticket(2)], history=CallHistory(True, 6))
    assert choice is not None
    assert (choice.ticket.ticket_id, choice.history) == (2, CallHistory(False, 1))


def test_priority_is_called_first_when_no_history() -> None:
    assert picked_id([ticket(1), ticket(2, priority=True)]) == 2


def test_runs_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PolicySettings(priority_run=0)
    with pytest.raises(ValueError, match="at least 1"):
        PolicySettings(regular_run=0)


# --- rule 4: across the counter's services, then arrival --------------------------------------


def test_longest_wait_takes_the_earliest_arrival_across_services() -> None:
    counter = CounterView(1, (20, 10))
    waiting = [ticket(1, service=20, issued=5), ticket(2, service=10, issued=3)]
    assert picked_id(waiting, counter=counter) == 2


def test_service_order_takes_the_counters_first_service() -> None:
    counter = CounterView(1, (20, 10))
    waiting = [ticket(1, service=20, issued=5), ticket(2, service=10, issued=3)]
    assert picked_id(waiting, counter=counter, settings=SERVICE_ORDER) == 1


def test_service_order_falls_through_to_the_next_service() -> None:
    counter = CounterView(1, (30, 20, 10))
    waiting = [ticket(1, service=10, issued=1), ticket(2, service=20, issued=9)]
    assert picked_id(waiting, counter=counter, settings=SERVICE_ORDER) == 2


def test_service_order_then_arrival() -> None:
    counter = CounterView(1, (20, 10))
    waiting = [ticket(1, service=10, issued=0), ticket(2, service=20, issued=8)]
    waiting.append(ticket(3, service=20, issued=6))
    assert picked_id(waiting, counter=counter, settings=SERVICE_ORDER) == 3


def test_service_order_applies_within_the_kind_whose_turn_it_is() -> None:
    counter = CounterView(1, (20, 10))
    waiting = [
        ticket(1, service=20, issued=1),
        ticket(2, service=10, issued=0, priority=True),
        ticket(3, service=20, issued=9, priority=True),
    ]
    assert picked_id(waiting, counter=counter, settings=SERVICE_ORDER) == 3
    assert picked_id(waiting, counter=counter) == 2


def test_arrival_is_issue_time_not_requeue_time() -> None:
    requeued = ticket(1, issued=0, enqueued=90)  # transferred in from another service
    assert picked_id([ticket(2, issued=10), requeued]) == 1


@pytest.mark.parametrize("settings", [DEFAULT, SERVICE_ORDER])
def test_equal_arrival_broken_by_ticket_id(settings: PolicySettings) -> None:
    waiting = [ticket(8, issued=5), ticket(3, issued=5), ticket(6, issued=5)]
    assert picked_id(waiting, settings=settings) == 3


def test_input_order_does_not_matter() -> None:
    waiting = [ticket(i, issued=i % 3, service=10 + 10 * (i % 2)) for i in range(1, 8)]
    assert picked_id(waiting) == picked_id(list(reversed(waiting))) == 3


# --- eligibility and queue heads -------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "eligible"),
    [
        (ticket(1, service=10), True),
        (ticket(1, service=20), True),
        (ticket(1, service=30), False),
        (ticket(1, service=10, target=1), True),
        (ticket(1, service=30, target=1), True),
        (ticket(1, service=10, target=2), False),
    ],
)
def test_is_eligible(candidate: Candidate, eligible: bool) -> None:
    assert is_eligible(candidate, COUNTER) is eligible


def test_queue_heads_known_answer() -> None:
    waiting = [
        ticket(1, service=10),
        ticket(2, service=10),
        ticket(3, service=10, priority=True),
        ticket(4, service=10, priority=True),
        ticket(5, service=20),
        ticket(6, service=30),
        ticket(7, target=1, enqueued=80),
        ticket(8, target=1, enqueued=70),
        ticket(9, target=2),
        ticket(10, appointment=NOW),
        ticket(11, appointment=NOW - timedelta(minutes=1)),
        ticket(0, issued=-1, appointment=NOW + timedelta(hours=1)),
    ]
    heads = queue_heads(COUNTER, waiting, DEFAULT, NOW)
    assert sorted(t.ticket_id for t in heads) == [0, 3, 5, 8, 11]


# --- moved to the front by a supervisor ------------------------------------------------------


def test_a_ticket_moved_to_the_front_is_called_next() -> None:
    waiting = [ticket(1), ticket(2, priority=True), ticket(3, appointment=at(100)), ticket(9)]
    assert picked_id(waiting) == 3  # the due appointment first, as usual
    moved = [*waiting[:3], ticket(9, front=50)]
    choice = pick(moved)
    assert choice is not None
    assert (choice.ticket.ticket_id, choice.reason) == (9, "front")
    assert choice.history == CallHistory()  # it does not count as a priority or regular run


def test_the_latest_move_to_the_front_goes_first() -> None:
    assert picked_id([ticket(1, front=30), ticket(2, front=40), ticket(3)]) == 2


def test_a_transfer_to_this_counter_still_comes_before_a_moved_ticket() -> None:
    assert picked_id([ticket(1, front=30), ticket(2, service=99, target=1)]) == 2


def test_a_moved_ticket_of_another_service_is_not_eligible() -> None:
    assert picked_id([ticket(1), ticket(2, service=99, front=30)]) == 1


def test_queue_heads_keep_the_moved_ticket() -> None:
    waiting = [ticket(1), ticket(2), ticket(8, front=20), ticket(9, front=30)]
    heads = queue_heads(COUNTER, waiting, DEFAULT, NOW)
    assert {t.ticket_id for t in heads} == {1, 9}
