from __future__ import annotations

from counter_app.schemas.base import Response
from counter_app.schemas.hub_sync import HubSync


class Health(Response):
    status: str
    version: str
    database: str
    # A server on a simulation clock (docs/SIMULATOR.md): windows show a "SIMULASI" band.
    simulation: bool = False
    # The journal's push to the hub (docs/HUB.md); absent when no hub is set.
    hub_sync: HubSync | None = None
