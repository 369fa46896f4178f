"""``counter-app training on|off [--counter N] [--branch CODE]``: training mode from the
command line, straight on the database (docs/TRAINING.md). Prints the training state."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from counter_app.config import Settings
from counter_app.core.actor import Actor
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import Role


def _fail(message: str) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return 2


def cmd_training(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from counter_app.schemas.training import SetTrainingRequest
    from counter_app.server.app import open_database
    from counter_app.store.models import Branch, Counter
    from counter_app.store.training import switch_training

    settings = Settings(db_url=args.db) if args.db else Settings()
    db = open_database(settings)
    actor = Actor(username="training", role=Role.ADMIN)
    try:
        with db.write() as session:
            query = select(Branch)
            if args.branch:
                query = query.where(Branch.code == args.branch)
            branches = session.scalars(query).all()
            if len(branches) != 1:
                return _fail(
                    f"no branch {args.branch!r}"
                    if args.branch
                    else "several branches: say which with --branch CODE"
                )
            branch = branches[0]
            counter_id = None
            if args.counter is not None:
                counter_id = session.scalar(
                    select(Counter.id).where(
                        Counter.branch_id == branch.id, Counter.number == args.counter
                    )
                )
                if counter_id is None:
                    return _fail(f"{branch.code} has no counter {args.counter}")
            state = switch_training(
                session,
                branch.id,
                SetTrainingRequest(on=args.state == "on", counter_id=counter_id),
                actor,
                datetime.now(UTC),
            )
    except AppError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    trains = [str(c.number) for c in state.counters if c.training]
    print(
        f"{branch.code}: training {'on' if state.training else 'off'} branch-wide; "
        f"counters training: {', '.join(trains) or 'none'}; "
        f"training tickets closed: {state.expired}"
    )
    return 0


def add_training_command(sub: Any, with_db: Any) -> None:
    training = with_db(
        sub.add_parser("training", help="training mode (latihan) on or off, branch or counter")
    )
    training.add_argument("state", choices=("on", "off"))
    training.add_argument("--counter", type=int, help="only this counter number")
    training.add_argument("--branch", help="the branch code (when there are several)")
    training.set_defaults(func=cmd_training)
