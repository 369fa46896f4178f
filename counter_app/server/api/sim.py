"""The simulation clock: read it, move it forward. Mounted only on a server started with
``--simulation-clock`` (elsewhere these paths answer 404); moving it is for an admin."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict, forbidden
from counter_app.core.vocabulary import Role
from counter_app.schemas.simulation import SimClockOut, SimClockRequest
from counter_app.server.context import ActorDep, Services, ServicesDep
from counter_app.server.sim_clock import SimulationClock
from counter_app.server.sweeper import sweep_once

router = APIRouter(prefix="/api/v1/sim", tags=["simulation"])


def _clock(svc: Services) -> SimulationClock:
    if svc.simulation is None:  # pragma: no cover - the router is mounted only with one
        raise AppError(ErrorCode.NOT_FOUND, "This server has no simulation clock.")
    return svc.simulation


@router.get("/clock", operation_id="get_sim_clock", response_model=SimClockOut)
async def get_sim_clock(svc: ServicesDep) -> SimClockOut:
    clock = _clock(svc)
    return SimClockOut(at=clock(), speed=clock.speed)


@router.post("/clock", operation_id="set_sim_clock", response_model=SimClockOut)
async def set_sim_clock(body: SimClockRequest, actor: ActorDep, svc: ServicesDep) -> SimClockOut:
    """Move the simulated time forward and/or change its speed (admin only)."""
    if actor.role is not Role.ADMIN:
        raise forbidden("Only an admin moves the simulation clock.")
    clock = _clock(svc)
    try:
        at = clock.set(body.at, body.speed)
    except ValueError as exc:
        raise conflict(ErrorCode.CLOCK_BACKWARDS, str(exc)) from None
    swept = await run_in_threadpool(sweep_once, svc) if body.sweep else 0
    return SimClockOut(at=at, speed=clock.speed, swept=swept)
