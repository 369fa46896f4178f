"""The small closed sets of the domain: roles, devices, sources, counter states, event kinds."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_RANK = {Role.OFFICER: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}


def role_at_least(role: Role, needed: Role) -> bool:
    return ROLE_RANK[role] >= ROLE_RANK[needed]


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"


class TicketSource(StrEnum):
    KIOSK = "kiosk"
    ONLINE = "online"
    COUNTER = "counter"
    WALK_IN = "walk_in"


class CounterState(StrEnum):
    OPEN = "open"
    BREAK = "break"
    CLOSED = "closed"


class EventKind(StrEnum):
    """One journal row per state change; the SSE ``event:`` field."""

    TICKET_ISSUED = "ticket.issued"
    TICKET_CALLED = "ticket.called"
    TICKET_RECALLED = "ticket.recalled"
    TICKET_STARTED = "ticket.started"
    TICKET_FINISHED = "ticket.finished"
    TICKET_SKIPPED = "ticket.skipped"
    TICKET_SKIP_UNDONE = "ticket.skip_undone"  # its counter took the skip back within seconds
    TICKET_RETURNED = "ticket.returned"
    TICKET_TRANSFERRED = "ticket.transferred"
    TICKET_CANCELLED = "ticket.cancelled"
    TICKET_EXPIRED = "ticket.expired"
    TICKET_MOVED_TO_FRONT = "ticket.moved_to_front"  # a supervisor put it first in its queue
    COUNTER_STATE = "counter.state"
    # Online bookings (no personal data in the payload; a check-in is a ticket.issued).
    BOOKING_CREATED = "booking.created"
    BOOKING_CANCELLED = "booking.cancelled"
    BOOKING_NO_SHOW = "booking.no_show"
    # Bookings' personal data erased (retention or a citizen's request): their ids only.
    BOOKING_ANONYMISED = "booking.anonymised"
    SETUP_CHANGED = "setup.changed"
    DEVICE_FAULT = "device.fault"


class FaultKind(StrEnum):
    """What part of a device reports a fault (``report_device_fault``)."""

    PRINTER = "printer"
    DISPLAY = "display"
    SCANNER = "scanner"
    OTHER = "other"
