"""Training mode on the wire: switching it on or off, and what it is now."""

from __future__ import annotations

from pydantic import Field

from counter_app.schemas.base import Request, Response


class SetTrainingRequest(Request):
    """Switch training on or off for the whole branch, or for one counter only."""

    on: bool
    counter_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class CounterTraining(Response):
    counter_id: int
    number: int
    training: bool


class TrainingOut(Response):
    branch_id: int
    training: bool  # the whole branch
    counters: list[CounterTraining]
    # Training tickets closed (as expired) by this switch: training left no open ticket.
    expired: int = 0
