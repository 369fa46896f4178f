"""Play office days against a server, event by event, on its simulation clock.

A discrete-event loop: a heap of timed events (a citizen arrives, reaches the counter, is
served; a break starts or ends). Before each event the server's clock is moved to the event's
time (``POST /api/v1/sim/clock``, the clock standing still in between), then the event's
request is sent as the kiosk or the counter's officer would send it. The server decides
everything a real office's server decides (who is called next, numbers, estimates); the
simulator only plays the people. So a day runs as fast as the server answers.
"""

from __future__ import annotations

import heapq
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from counter_app.client.api import API, ApiClient
from counter_app.client.errors import ApiError
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.booking import BookingCreated, SlotsOut
from counter_app.schemas.tickets import TicketOut
from counter_app.simulate.generators import arrivals, citizen_rng, plan_visits
from counter_app.simulate.office import ServerOffice
from counter_app.simulate.profile import LoadedProfile
from counter_app.simulate.records import (
    Citizen,
    CounterTime,
    IssuedTicket,
    RunRecord,
    ServedVisit,
)

log = logging.getLogger(__name__)
BOOKING_LEAD = timedelta(minutes=60)  # bookings are made this long before opening
BREAK_REASON = "Istirahat"


def estimate_range(ticket: TicketOut) -> tuple[int | None, int | None]:
    """The range the server gave with the ticket (``wait_low_seconds``..``wait_high_seconds``);
    a server without ranges gives the point (zero width)."""
    if ticket.wait_low_seconds is None or ticket.wait_high_seconds is None:
        return ticket.wait_seconds, ticket.wait_seconds
    return ticket.wait_low_seconds, ticket.wait_high_seconds


@dataclass
class Counter:
    number: int
    id: int
    client: ApiClient
    services: frozenset[str]
    status: str = "closed"  # closed, idle, busy, break
    since: datetime | None = None
    ticket_id: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    break_minutes: float | None = None  # a break is due when the current ticket is done


@dataclass(order=True)
class Event:
    at: datetime
    seq: int
    kind: str = field(compare=False)
    data: Any = field(compare=False, default=None)


def count_requests(client: ApiClient, record: RunRecord) -> None:
    """Count the client's requests for the report, and skip the proxy look-up ``requests``
    makes on every request (it read the environment each time: half a millisecond a
    request, a tenth of the simulator's own time); the simulator talks to its server
    directly."""
    client.session.trust_env = False

    def hook(response: requests.Response, *_args: object, **_kwargs: object) -> None:
        record.requests += 1

    client.session.hooks["response"].append(hook)


class DayPlayer:
    """Plays one office day. ``officer_login(number)`` gives a client logged in as the officer
    of that counter; ``admin_login()`` logs the admin client in again. Both are used after the
    jump to the day's start: sessions expire on the simulated clock too."""

    def __init__(
        self,
        loaded: LoadedProfile,
        office: ServerOffice,
        admin: ApiClient,
        kiosk: ApiClient,
        officer_login: Callable[[int], ApiClient],
        admin_login: Callable[[], None],
        record: RunRecord,
        *,
        day: date,
        day_index: int,
        hours: float | None = None,
        pace: float | None = None,
        nik_serial: int = 0,
    ) -> None:
        self.loaded = loaded
        self.profile = loaded.profile
        self.office = office
        self.admin = admin
        self.kiosk = kiosk
        self.officer_login = officer_login
        self.admin_login = admin_login
        self.record = record
        self.day = day
        self.day_index = day_index
        self.pace = pace
        self.nik_serial = nik_serial
        zone = ZoneInfo(office.timezone)
        self.opens = datetime.combine(day, self.profile.open, zone).astimezone(UTC)
        closes = datetime.combine(day, self.profile.close, zone).astimezone(UTC)
        if hours is not None:
            closes = min(closes, self.opens + timedelta(hours=hours))
        self.closes = closes
        self.events: list[Event] = []
        self.seq = 0
        self.clock_at: datetime | None = None
        self.counters: dict[int, Counter] = {}
        self.plans: dict[int, tuple[Citizen, int]] = {}  # ticket id -> citizen, visit index
        self.issued: dict[int, IssuedTicket] = {}
        self.enqueued: dict[int, datetime] = {}  # ticket id -> when it joined its queue
        self.current_enqueued: dict[int, datetime | None] = {}  # counter number -> of its ticket
        self.real_start = time.monotonic()

    # --- the loop ---

    def schedule(self, at: datetime, kind: str, data: Any = None) -> None:
        self.seq += 1
        heapq.heappush(self.events, Event(at, self.seq, kind, data))

    def set_clock(self, at: datetime, *, sweep: bool = False) -> None:
        if at == self.clock_at and not sweep:
            return
        if self.pace:
            due = self.real_start + (at - self.opens).total_seconds() / self.pace
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self.admin.request("POST", f"{API}/sim/clock", json={"at": at.isoformat(), "sweep": sweep})
        self.clock_at = at

    def play(self) -> None:
        self.set_clock(self.opens - BOOKING_LEAD, sweep=True)
        self.admin_login()
        self.make_bookings()
        self.plan_walk_ins()
        for brk in self.profile.breaks:
            zone = ZoneInfo(self.office.timezone)
            at = datetime.combine(self.day, brk.at, zone).astimezone(UTC)
            if self.opens <= at < self.closes:
                self.schedule(at, "break_due", (brk.counter, brk.minutes))
        self.set_clock(self.opens)
        self.real_start = time.monotonic()
        for number in sorted(self.office.counter_ids):
            client = self.officer_login(number)
            counter = Counter(
                number,
                self.office.counter_ids[number],
                client,
                self.office.counter_services[number],
            )
            self.counters[number] = counter
            client.set_counter_state(counter.id, CounterState.OPEN)
            self.set_status(counter, "idle", self.opens)
        while self.events:
            event = heapq.heappop(self.events)
            self.set_clock(event.at)
            self.handle(event)
        end = self.clock_at or self.closes
        for counter in self.counters.values():
            self.set_status(counter, "closed", end)
            counter.client.set_counter_state(counter.id, CounterState.CLOSED)
            counter.client.logout()
            counter.client.close()

    def handle(self, event: Event) -> None:
        now = event.at
        kind = event.kind
        if kind == "walk_in":
            self.issue(event.data, now)
        elif kind == "check_in":
            self.check_in(event.data, now)
        elif kind == "at_counter":
            self.at_counter(event.data, now)
        elif kind == "done":
            self.done(event.data, now)
        elif kind == "skip":
            self.skip(event.data, now)
        elif kind == "break_due":
            number, minutes = event.data
            counter = self.counters[number]
            counter.break_minutes = minutes
            if counter.status == "idle":
                self.start_break(counter, now)
        elif kind == "break_end":
            counter = self.counters[event.data]
            counter.client.set_counter_state(counter.id, CounterState.OPEN)
            self.set_status(counter, "idle", now)
            self.call(counter, now)
        else:  # pragma: no cover - every kind is scheduled above
            raise AssertionError(kind)

    # --- citizens ---

    def plan_walk_ins(self) -> None:
        open_seconds = (self.closes - self.opens).total_seconds()
        rng = random.Random(f"{self.profile.seed}:{self.day_index}:arrivals")
        for index, arrival in enumerate(arrivals(rng, self.profile, open_seconds)):
            own = citizen_rng(self.profile.seed, self.day_index, "walk_in", index)
            citizen = Citizen(
                plan_visits(own, self.profile, arrival.service),
                "kiosk",
                priority=arrival.priority,
            )
            self.schedule(self.opens + timedelta(seconds=arrival.at_seconds), "walk_in", citizen)

    def make_bookings(self) -> None:
        """Book the day's online places as citizens would have (here: just before opening),
        and plan who comes to check in and when."""
        for prefix in sorted(self.profile.services):
            wanted = self.profile.services[prefix].bookings
            if not wanted.per_day:
                continue
            service_id = self.office.service_ids[prefix]
            rng = random.Random(f"{self.profile.seed}:{self.day_index}:bookings:{prefix}")
            response = self.admin.request(
                "GET",
                f"{API}/public/services/{service_id}/slots",
                params={"date": self.day.isoformat()},
                auth=False,
            )
            found = SlotsOut.model_validate_json(response.content)
            places: list[datetime] = []
            for day in found.days:
                for slot in day.slots:
                    if self.opens <= slot.start < self.closes:
                        places.extend([slot.start] * slot.remaining)
            rng.shuffle(places)
            for index, start in enumerate(sorted(places[: wanted.per_day])):
                own = citizen_rng(self.profile.seed, self.day_index, f"booking:{prefix}", index)
                created = self.book(service_id, start)
                if created is None:
                    continue
                self.record.bookings_made += 1
                if own.random() < wanted.no_show:
                    self.record.booking_no_shows += 1
                    continue
                citizen = Citizen(plan_visits(own, self.profile, prefix), "booking")
                citizen.booking_code = created.code
                early = timedelta(minutes=own.uniform(0, 20))
                arrive = max(self.opens, min(created.check_in_closes, start - early))
                arrive = max(arrive, created.check_in_opens)
                self.schedule(arrive, "check_in", citizen)

    def book(self, service_id: int, start: datetime) -> BookingCreated | None:
        self.nik_serial += 1
        serial = self.nik_serial % 9999 + 1
        birth_day = 1 + (self.nik_serial // 9999) % 28
        body = {
            "service_id": service_id,
            "slot_start": start.isoformat(),
            "nik": f"317405{birth_day:02d}0890{serial:04d}",
            "name": "Warga Simulasi",
        }
        try:
            response = self.admin.request("POST", f"{API}/public/bookings", json=body, auth=False)
        except ApiError as exc:
            self.record.refuse(exc.code)
            return None
        return BookingCreated.model_validate_json(response.content)

    def issue(self, citizen: Citizen, now: datetime) -> None:
        prefix = citizen.visits[0].service
        priority_id = None
        if citizen.priority and self.office.priority_class_ids:
            ids = self.office.priority_class_ids
            priority_id = ids[self.seq % len(ids)]
        try:
            ticket = self.kiosk.issue_ticket(self.office.service_ids[prefix], priority_id)
        except ApiError as exc:  # e.g. quota_full: the citizen goes home
            self.record.refuse(exc.code)
            return
        self.took_number(citizen, ticket, now, "kiosk")

    def check_in(self, citizen: Citizen, now: datetime) -> None:
        assert citizen.booking_code is not None
        try:
            ticket = self.kiosk.check_in_booking(citizen.booking_code)
        except ApiError as exc:
            self.record.refuse(exc.code)
            return
        self.took_number(citizen, ticket, now, "booking")

    def took_number(self, citizen: Citizen, ticket: TicketOut, now: datetime, source: str) -> None:
        prefix = citizen.visits[0].service
        low, high = estimate_range(ticket)
        issued = IssuedTicket(
            ticket_id=ticket.id,
            number=ticket.number,
            service=prefix,
            source=source,
            day=self.day,
            issued_at=now,
            ahead=ticket.ahead,
            estimate_seconds=ticket.wait_seconds,
            estimate_low_seconds=low,
            estimate_high_seconds=high,
            naive_seconds=self.naive_estimate(prefix, ticket.ahead),
        )
        self.issued[ticket.id] = issued
        self.record.issued.append(issued)
        self.plans[ticket.id] = (citizen, 0)
        self.enqueued[ticket.id] = now
        self.wake(prefix, now)

    def naive_estimate(self, prefix: str, ahead: int | None) -> float | None:
        """People ahead × the average service time so far ÷ the counters open for it."""
        open_counters = sum(
            1
            for c in self.counters.values()
            if prefix in c.services and c.status in ("idle", "busy")
        )
        if ahead is None or open_counters == 0:
            return None
        total, count = self.record.learned.get(prefix, (0.0, 0))
        average = total / count if count else self.office.default_seconds[prefix]
        return ahead * average / open_counters

    # --- counters ---

    def set_status(self, counter: Counter, status: str, now: datetime) -> None:
        times = self.record.counters.setdefault(counter.number, CounterTime())
        if counter.since is not None:
            spent = (now - counter.since).total_seconds()
            if counter.status in ("idle", "busy"):
                times.open_seconds += spent
            if counter.status == "busy":
                times.busy_seconds += spent
            if counter.status == "break":
                times.break_seconds += spent
        counter.status = status
        counter.since = now

    def wake(self, prefix: str, now: datetime) -> None:
        """A ticket joined ``prefix``'s queue: the counter idle longest that serves it calls."""
        idle = [c for c in self.counters.values() if c.status == "idle" and prefix in c.services]
        idle.sort(key=lambda c: (c.since or now, c.number))
        for counter in idle:
            if self.call(counter, now):
                return

    def call(self, counter: Counter, now: datetime) -> bool:
        response = counter.client.call_next(counter.id)
        return self.took_call(counter, response.ticket, now)

    def took_call(self, counter: Counter, ticket: TicketOut | None, now: datetime) -> bool:
        if ticket is None:
            if counter.status != "idle":
                self.set_status(counter, "idle", now)
            return False
        self.set_status(counter, "busy", now)
        counter.ticket_id = ticket.id
        counter.called_at = now
        self.current_enqueued[counter.number] = self.enqueued.pop(ticket.id, None)
        counter.started_at = None
        issued = self.issued.get(ticket.id)
        if issued is not None and issued.called_at is None:
            issued.called_at = now
        citizen, index = self.plan_for(ticket)
        visit = citizen.visits[index]
        if visit.no_show:
            skip_after = timedelta(minutes=self.profile.officers.skip_after_minutes)
            self.schedule(now + skip_after, "skip", counter.number)
        else:
            self.schedule(now + timedelta(seconds=visit.walk_seconds), "at_counter", counter.number)
        return True

    def plan_for(self, ticket: TicketOut) -> tuple[Citizen, int]:
        """The citizen behind a called ticket; one the simulator did not issue (left from
        earlier) gets a plan drawn for its service."""
        found = self.plans.get(ticket.id)
        if found is not None:
            return found
        prefix = next(
            (p for p, i in self.office.service_ids.items() if i == ticket.service_id), None
        )
        if prefix is None or prefix not in self.profile.services:
            prefix = sorted(self.profile.services)[0]
        own = citizen_rng(self.profile.seed, self.day_index, "unknown", ticket.id)
        plan = (Citizen(plan_visits(own, self.profile, prefix)[:1], "kiosk"), 0)
        self.plans[ticket.id] = plan
        return plan

    def at_counter(self, number: int, now: datetime) -> None:
        counter = self.counters[number]
        assert counter.ticket_id is not None
        counter.client.start_service(counter.ticket_id)
        counter.started_at = now
        citizen, index = self.plans[counter.ticket_id]
        self.schedule(
            now + timedelta(seconds=citizen.visits[index].service_seconds), "done", number
        )

    def done(self, number: int, now: datetime) -> None:
        counter = self.counters[number]
        ticket_id = counter.ticket_id
        assert ticket_id is not None and counter.called_at is not None
        citizen, index = self.plans[ticket_id]
        visit = citizen.visits[index]
        self.learn(visit.service, (now - counter.called_at).total_seconds())
        if index + 1 < len(citizen.visits):
            following = citizen.visits[index + 1].service
            moved = counter.client.transfer_ticket(
                ticket_id, service_id=self.office.service_ids[following]
            )
            self.plans[moved.id] = (citizen, index + 1)
            self.enqueued[moved.id] = now
            self.closed(counter, visit.service, now, "transferred")
            self.next_step(counter, now)
            self.wake(following, now)
            return
        if counter.break_minutes is not None:
            counter.client.finish_ticket(ticket_id)
            self.closed(counter, visit.service, now, "done")
            self.start_break(counter, now)
            return
        response = counter.client.call_next(counter.id, finish_current=True)
        self.closed(counter, visit.service, now, "done")
        self.took_call(counter, response.ticket, now)

    def skip(self, number: int, now: datetime) -> None:
        counter = self.counters[number]
        assert counter.ticket_id is not None
        citizen, index = self.plans[counter.ticket_id]
        counter.client.skip_ticket(counter.ticket_id)
        self.closed(counter, citizen.visits[index].service, now, "no_show")
        self.next_step(counter, now)

    def next_step(self, counter: Counter, now: datetime) -> None:
        if counter.break_minutes is not None:
            self.start_break(counter, now)
        else:
            self.call(counter, now)

    def closed(self, counter: Counter, service: str, now: datetime, outcome: str) -> None:
        assert counter.called_at is not None
        self.record.visits.append(
            ServedVisit(
                service,
                counter.number,
                self.current_enqueued.pop(counter.number, None),
                counter.called_at,
                counter.started_at,
                now,
                outcome,
            )
        )
        counter.ticket_id = None
        counter.called_at = None
        counter.started_at = None

    def learn(self, prefix: str, seconds: float) -> None:
        total, count = self.record.learned.get(prefix, (0.0, 0))
        self.record.learned[prefix] = (total + seconds, count + 1)

    def start_break(self, counter: Counter, now: datetime) -> None:
        minutes = counter.break_minutes or 0.0
        counter.break_minutes = None
        counter.client.set_counter_state(counter.id, CounterState.BREAK, BREAK_REASON)
        self.set_status(counter, "break", now)
        self.schedule(now + timedelta(minutes=minutes), "break_end", counter.number)
