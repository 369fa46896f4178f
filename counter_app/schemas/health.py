from __future__ import annotations

from counter_app.schemas.base import Response


class Health(Response):
    status: str
    version: str
    database: str
    # A server on a simulation clock (docs/SIMULATOR.md): windows show a "SIMULASI" band.
    simulation: bool = False
