"""The branch's link to its hub, as /api/v1/health shows it (docs/HUB.md)."""

from __future__ import annotations

from typing import Literal

from counter_app.schemas.base import Response

HubSyncStateName = Literal["off", "starting", "synced", "behind", "down", "conflict"]


class HubSync(Response):
    """The branch's link to its hub, as /api/v1/health shows it."""

    state: HubSyncStateName
    hub_seq: int | None = None
    local_seq: int | None = None
    error: str | None = None
