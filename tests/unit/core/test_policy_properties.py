"""Property tests of the call order (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from hypothesis import given
from hypothesis import strategies as st

from counter_app.core.policy import (
    CallHistory,
    Candidate,
    CounterView,
    MultiServiceRule,
    PolicySettings,
    choose_next,
    is_due_appointment,
    is_eligible,
    is_moved_to_front,
    queue_heads,
)

T0 = datetime(2024, 3, 11, 1, 0, tzinfo=UTC)
SERVICES = (1, 2, 3, 4)
T = TypeVar("T")


def minutes(low: int, high: int) -> st.SearchStrategy[datetime]:
    return st.integers(low, high).map(lambda m: T0 + timedelta(minutes=m))


def rarely(value: st.SearchStrategy[T], one_in: int) -> st.SearchStrategy[T | None]:
    """``None`` most of the time, so that every rule of the call order gets its turn."""
    return st.integers(1, one_in).flatmap(lambda n: value if n == 1 else st.none())


@st.composite
def candidate(draw: st.DrawFn, ticket_id: int) -> Candidate:
    issued = draw(minutes(0, 20))  # a narrow range, so equal arrivals happen
    enqueued = issued + timedelta(minutes=draw(st.integers(0, 30)))
    target = draw(rarely(st.integers(1, 3), 10))
    appointment = draw(rarely(minutes(0, 180), 4))
    service = draw(st.sampled_from(SERVICES))
    front = draw(rarely(minutes(0, 40), 8))  # narrow too: equal moves happen
    return Candidate(
        ticket_id, service, issued, enqueued, draw(st.booleans()), target, appointment, front
    )


@st.composite
def queues(draw: st.DrawFn) -> list[Candidate]:
    size = draw(st.integers(0, 25))
    tickets = [draw(candidate(i)) for i in range(1, size + 1)]
    return list(draw(st.permutations(tickets)))


counters = st.builds(
    CounterView,
    counter_id=st.integers(1, 3),
    service_ids=st.lists(st.sampled_from(SERVICES), unique=True, max_size=4).map(tuple),
)
policy_settings = st.builds(
    PolicySettings,
    priority_run=st.integers(1, 4),
    regular_run=st.integers(1, 4),
    multi_service_rule=st.sampled_from(MultiServiceRule),
    appointment_early=st.integers(0, 30).map(lambda m: timedelta(minutes=m)),
)
histories = st.one_of(
    st.just(CallHistory()),
    st.builds(CallHistory, last_priority=st.booleans(), run=st.integers(1, 8)),
)
nows = minutes(0, 180)


@given(counters, queues(), histories, policy_settings, nows)
def test_queue_heads_give_the_same_choice_as_the_whole_queue(
    counter: CounterView,
    waiting: list[Candidate],
    history: CallHistory,
    settings: PolicySettings,
    now: datetime,
) -> None:
    heads = queue_heads(counter, waiting, settings, now)
    assert len(heads) <= 3 + 2 * len(counter.service_ids)
    assert choose_next(counter, heads, history, settings, now) == choose_next(
        counter, waiting, history, settings, now
    )


@given(counters, queues(), histories, policy_settings, nows)
def test_the_pick_is_eligible_and_follows_the_rule_order(
    counter: CounterView,
    waiting: list[Candidate],
    history: CallHistory,
    settings: PolicySettings,
    now: datetime,
) -> None:
    choice = choose_next(counter, waiting, history, settings, now)
    eligible = [t for t in waiting if is_eligible(t, counter)]
    if choice is None:
        assert eligible == []
        return
    picked = choice.ticket
    assert picked in waiting
    assert is_eligible(picked, counter)
    transfers = [t for t in eligible if t.target_counter_id == counter.counter_id]
    front = [t for t in eligible if is_moved_to_front(t)]
    due = [t for t in eligible if is_due_appointment(t, now, settings)]
    if transfers:
        assert choice.reason == "transfer"
        assert picked == min(transfers, key=lambda t: (t.enqueued_at, t.ticket_id))
        assert choice.history == history
    elif front:
        assert choice.reason == "front"
        latest = max(t.front_at for t in front if t.front_at is not None)
        assert picked.front_at == latest
        assert picked.ticket_id == min(t.ticket_id for t in front if t.front_at == latest)
        assert choice.history == history
    elif due:
        assert choice.reason == "appointment"
        assert picked == min(due, key=lambda t: (t.appointment_at, t.issued_at, t.ticket_id))
        assert choice.history == history
    else:
        assert choice.reason == ("priority" if picked.priority else "regular")
        assert picked.target_counter_id is None
        assert choice.history == history.after(picked.priority)


@given(counters, queues(), histories, policy_settings, nows)
def test_within_a_kind_the_pick_is_the_earliest_arrival_under_longest_wait(
    counter: CounterView,
    waiting: list[Candidate],
    history: CallHistory,
    settings: PolicySettings,
    now: datetime,
) -> None:
    settings = replace(settings, multi_service_rule=MultiServiceRule.LONGEST_WAIT)
    choice = choose_next(counter, waiting, history, settings, now)
    if choice is None or choice.reason not in ("priority", "regular"):
        return
    same_kind = [
        t
        for t in waiting
        if is_eligible(t, counter)
        and t.priority is choice.ticket.priority
        and not is_due_appointment(t, now, settings)
        and not is_moved_to_front(t)
    ]
    earliest = min(same_kind, key=lambda t: (t.issued_at, t.ticket_id))
    assert choice.ticket == earliest
    assert all(choice.ticket.issued_at <= t.issued_at for t in same_kind)


@given(
    service_ids=st.lists(st.sampled_from(SERVICES), min_size=1, max_size=4, unique=True),
    settings=policy_settings,
    history=histories,
    arrivals=st.lists(st.tuples(st.booleans(), st.integers(0, 2)), min_size=30, max_size=60),
)
def test_no_kind_starves_while_both_wait(
    service_ids: list[int],
    settings: PolicySettings,
    history: CallHistory,
    arrivals: list[tuple[bool, int]],
) -> None:
    counter = CounterView(1, tuple(service_ids))
    now = T0 + timedelta(hours=3)
    next_id = 1

    def arrive(priority: bool) -> Candidate:
        nonlocal next_id
        service = service_ids[next_id % len(service_ids)]
        t = Candidate(next_id, service, T0 + timedelta(seconds=next_id), now, priority)
        next_id += 1
        return t

    waiting = [arrive(True), arrive(False)]
    kinds: list[bool] = []
    for priority, count in arrivals:  # random extra arrivals between calls
        waiting.extend(arrive(priority) for _ in range(count))
        choice = choose_next(counter, waiting, history, settings, now)
        assert choice is not None
        waiting.remove(choice.ticket)
        kinds.append(choice.ticket.priority)
        history = choice.history
        for kind in (True, False):  # both kinds always waiting
            if not any(t.priority is kind for t in waiting):
                waiting.append(arrive(kind))

    window = settings.priority_run + settings.regular_run
    for start in range(len(kinds) - window + 1):
        assert set(kinds[start : start + window]) == {True, False}, (start, kinds)
    longest: dict[bool, int] = {True: 0, False: 0}
    run = 0
    for i, kind in enumerate(kinds):
        run = run + 1 if i and kinds[i - 1] is kind else 1
        longest[kind] = max(longest[kind], run)
    assert longest[True] <= settings.priority_run
    assert longest[False] <= settings.regular_run
