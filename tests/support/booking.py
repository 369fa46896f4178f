"""Helpers for booking tests: valid NIKs, booking over the API, the public status stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from counter_app.server.context import Services
from tests.support.http import Api
from tests.support.live_server import FrozenClock, LiveServer
from tests.support.office import Office
from tests.support.queue_ops import journal_seq, ok
from tests.support.sse import EventStream

# Monday 2 March 2026, 08:00 WIB: the demo office opens at 08:00 (Mon–Thu until 15:00).
MONDAY_0800_WIB = "2026-03-02T01:00:00+00:00"


def nik(serial: int, *, female: bool = False, province: str = "31") -> str:
    """A NIK of the right form: Jakarta Selatan, born 12 Aug 1990, the given serial."""
    day = 12 + (40 if female else 0)
    return f"{province}7405{day:02d}0890{serial:04d}"


def booking_body(service_id: int, start: str, serial: int, **extra: Any) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "slot_start": start,
        "nik": nik(serial),
        "name": "Budi Santoso",
        **extra,
    }


def book(anon: Api, service_id: int, start: str, serial: int, **extra: Any) -> dict[str, Any]:
    created: dict[str, Any] = ok(
        anon.post("/api/v1/public/bookings", booking_body(service_id, start, serial, **extra)), 201
    )
    return created


def slots(anon: Api, service_id: int, day: str | None = None) -> dict[str, Any]:
    query = f"?date={day}" if day else ""
    found: dict[str, Any] = ok(anon.get(f"/api/v1/public/services/{service_id}/slots{query}"))
    return found


def remaining(anon: Api, service_id: int, start: str) -> int:
    """Places left in the slot starting at ``start`` (``…Z`` or ``…+00:00``)."""
    day = slots(anon, service_id, start[:10])["days"][0]
    wanted = start.replace("+00:00", "Z")
    for slot in day["slots"]:
        if slot["start"] == wanted:
            return int(slot["remaining"])
    raise AssertionError(f"no slot {start} in {day}")


class StatusStream(EventStream):
    """``GET /api/v1/public/tickets/{code}/events``, read with the same parser."""

    def __init__(self, base_url: str, code: str, timeout: float = 10.0) -> None:
        self.response = requests.get(
            f"{base_url}/api/v1/public/tickets/{code}/events",
            headers={"Accept": "text/event-stream"},
            stream=True,
            timeout=(5, timeout),
        )
        self._chunks = self.response.iter_content(chunk_size=None)
        self._buffer = b""


@dataclass
class Booking:
    server: LiveServer
    office: Office
    clock: FrozenClock
    anon: Api

    @property
    def kiosk(self) -> Api:
        return self.anon.as_token(self.office.kiosk_token)

    @property
    def svc(self) -> Services:
        found: Services = self.server.app.state.services
        return found

    def seq(self) -> int:
        return journal_seq(self.anon.login("supervisor"), self.office.branch_id)
