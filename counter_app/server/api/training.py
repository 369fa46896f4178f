"""Training mode: a supervisor switches a branch, or one counter, to training and back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from counter_app.schemas.training import SetTrainingRequest, TrainingOut
from counter_app.server.context import WriterDep
from counter_app.store.training import set_training as store_set_training

router = APIRouter(prefix="/api/v1/branches", tags=["training"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/{branch_id}/training", operation_id="set_training", response_model=TrainingOut)
async def set_training(branch_id: Id, body: SetTrainingRequest, writer: WriterDep) -> Response:
    """Switch training (``latihan``) on or off for the branch, or for one counter
    (``counter_id``). Off closes the open training tickets as expired (docs/TRAINING.md)."""
    return await writer.run(
        lambda s, now: store_set_training(s, branch_id, body, writer.actor, now),
        request_body=body,
    )
