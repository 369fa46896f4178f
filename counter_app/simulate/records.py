"""What the simulator saw happen: the raw material of the report (``metrics``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Visit:
    """One stop of a citizen: a service, how long it takes once they are at the counter, how
    long they take to walk there after the call, whether they come at all."""

    service: str
    service_seconds: float
    walk_seconds: float
    no_show: bool


@dataclass(slots=True)
class Citizen:
    visits: list[Visit]
    source: str  # "kiosk" or "booking"
    priority: bool = False
    booking_code: str | None = None


@dataclass(slots=True)
class IssuedTicket:
    """A ticket as issued (kiosk or booking check-in) with the estimates it was given."""

    ticket_id: int
    number: str
    service: str
    source: str
    day: date
    issued_at: datetime
    ahead: int | None
    estimate_seconds: int | None  # what the server said at issue
    # The server's range, when it gives one (a later change); else the point estimate.
    estimate_low_seconds: int | None
    estimate_high_seconds: int | None
    naive_seconds: float | None  # ahead × average service time ÷ open counters
    called_at: datetime | None = None

    @property
    def wait_seconds(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.issued_at).total_seconds()


@dataclass(frozen=True, slots=True)
class ServedVisit:
    """One call at a counter and how it ended (done, transferred, no_show)."""

    service: str
    counter: int
    enqueued_at: datetime | None  # when it joined this queue (issue, check-in or transfer)
    called_at: datetime
    started_at: datetime | None
    closed_at: datetime
    outcome: str


@dataclass(slots=True)
class CounterTime:
    """Seconds a counter was open (not on a break) and busy with a ticket, over the run."""

    open_seconds: float = 0.0
    busy_seconds: float = 0.0
    break_seconds: float = 0.0


@dataclass(slots=True)
class RunRecord:
    issued: list[IssuedTicket] = field(default_factory=list)
    visits: list[ServedVisit] = field(default_factory=list)
    counters: dict[int, CounterTime] = field(default_factory=dict)
    bookings_made: int = 0
    booking_no_shows: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # API errors by code, if any
    requests: int = 0
    days: list[date] = field(default_factory=list)
    # Per service: (sum, count) of call-to-close seconds of finished visits, for the naive
    # estimate's "average service time" (what an observer at the counters would know).
    learned: dict[str, tuple[float, int]] = field(default_factory=dict)

    def refuse(self, code: str) -> None:
        self.refused[code] = self.refused.get(code, 0) + 1
