"""Staffing advice for supervisors and admins (docs/REPORTS.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from counter_app.core.vocabulary import Role
from counter_app.schemas.staffing import StaffingAdvice
from counter_app.server.context import ActorDep, ServicesDep
from counter_app.store.staffing import MAX_WEEKS
from counter_app.store.staffing import staffing_advice as store_staffing_advice

router = APIRouter(prefix="/api/v1/branches", tags=["reports"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/{branch_id}/staffing", operation_id="staffing_advice", response_model=StaffingAdvice)
def staffing_advice(
    branch_id: Id,
    actor: ActorDep,
    svc: ServicesDep,
    weekday: Annotated[int | None, Query(ge=0, le=6, description="0 = Monday")] = None,
    weeks: Annotated[int, Query(ge=1, le=MAX_WEEKS)] = 4,
) -> StaffingAdvice:
    """Counters to open per hour per service so the mean wait stays within the service's
    ``target_wait_minutes`` (Erlang C), from the arrivals and service times of the last
    ``weeks`` service days on ``weekday`` (default: yesterday's weekday), beside the counters
    that were open and the wait they would give."""
    actor.require_role(Role.SUPERVISOR)
    actor.require_branch(branch_id)
    with svc.db.read() as session:
        return store_staffing_advice(session, branch_id, svc.clock(), weekday=weekday, weeks=weeks)
