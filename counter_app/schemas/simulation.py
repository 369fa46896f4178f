"""The simulation clock on the wire (only on a server started with ``--simulation-clock``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from counter_app.schemas.base import AwareIsoDatetime, Request, Response


class SimClockRequest(Request):
    # Move the clock here (forward only); omitted: leave it where it is.
    at: AwareIsoDatetime | None = None
    # Real-time multiplier from now on; 0 stands still until moved again.
    speed: float | None = Field(default=None, ge=0, le=100_000)
    # Run the housekeeping sweep (expire past days, booking no-shows) at the new time.
    sweep: bool = False


class SimClockOut(Response):
    at: datetime
    speed: float
    simulation: bool = True
    swept: int = 0
