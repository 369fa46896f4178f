from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from counter_app import __version__
from counter_app.schemas.health import Health
from counter_app.server.context import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["health"])


@router.get("/health", operation_id="health", response_model=Health)
def health(svc: ServicesDep, request: Request) -> Health:
    with svc.db.read() as session:
        session.execute(text("SELECT 1"))
    return Health(
        status="ok",
        version=__version__,
        database=svc.db.dialect,
        simulation=svc.simulation is not None,
        hub_sync=pusher.status if (pusher := request.app.state.hub_pusher) else None,
    )
