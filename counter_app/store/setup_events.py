"""The journal event saying an office's set-up changed (a branch, service, counter, priority
class or holiday was added or edited): windows reload what they show, and the server's set-up
caches are cleared when it commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from counter_app.core.actor import Actor
from counter_app.core.vocabulary import EventKind
from counter_app.store import journal


def record_setup_changed(
    session: Session, branch_id: int, actor: Actor, now: datetime, what: str, ident: int
) -> None:
    """Journal that ``what`` (e.g. ``"service"``) number ``ident`` of the branch changed."""
    journal.record(
        session,
        branch_id=branch_id,
        kind=EventKind.SETUP_CHANGED,
        at=now,
        actor=actor,
        data={"what": what, "id": ident},
    )
