"""``counter-app bookings cancel``: a supervisor's tool against a run of suspicious online
bookings (store/booking/bulk_cancel.py)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from counter_app.cli_common import fail as _fail
from counter_app.cli_common import settings_from as _settings
from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role


def cmd_bookings_cancel(args: argparse.Namespace) -> int:
    """Cancel a run of suspicious bookings in the database: those still booked that came
    from an address block (or wider network) since a time, or the given codes."""
    from sqlalchemy import select

    from counter_app.core.errors import AppError
    from counter_app.server.app import open_database
    from counter_app.store.booking import bulk_cancel
    from counter_app.store.models import Branch

    if bool(args.code) == bool(args.from_address):
        return _fail("give --from-address (with --since) or --code, not both")
    try:
        since = datetime.fromisoformat(args.since) if args.since else None
        until = datetime.fromisoformat(args.until) if args.until else None
    except ValueError as exc:
        return _fail(f"not an ISO 8601 time: {exc}")
    for moment in (since, until):
        if moment is not None and moment.tzinfo is None:
            return _fail("give times with their offset, e.g. 2026-12-03T08:00:00+07:00")
    if args.from_address and since is None:
        return _fail("--from-address needs --since")
    db = open_database(_settings(args))
    try:
        with db.write() as session:
            branches = [args.branch] if args.branch else list(session.scalars(select(Branch.id)))
            network = bulk_cancel.parse_network(args.from_address) if args.from_address else None
            found = []
            for branch_id in branches:
                if network is not None and since is not None:
                    found += bulk_cancel.find_by_network(session, branch_id, network, since, until)
                else:
                    found += bulk_cancel.find_by_codes(session, branch_id, args.code)
            cancelled, skipped = bulk_cancel.cancel_all(
                session, found, Actor(username="command line", role=Role.ADMIN), datetime.now(UTC)
            )
    except AppError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    print(f"cancelled {len(cancelled)}: {' '.join(cancelled) or '-'}")
    if skipped:
        print(f"skipped (no longer booked) {len(skipped)}: {' '.join(skipped)}")
    return 0


def add_bookings_commands(sub: Any, with_db: Any) -> None:
    bookings = sub.add_parser("bookings", help="online bookings (supervisor tools)")
    bookings_sub = bookings.add_subparsers(dest="bookings_command", required=True)
    cancel = with_db(
        bookings_sub.add_parser("cancel", help="cancel a run of suspicious bookings at once")
    )
    cancel.add_argument("--from-address", help="an address block, e.g. 10.0.0.0/24")
    cancel.add_argument("--since", help="made at or after (ISO 8601 with offset)")
    cancel.add_argument("--until", help="made before (ISO 8601 with offset)")
    cancel.add_argument("--code", action="append", default=[], help="a booking code (repeat)")
    cancel.add_argument("--branch", type=int, help="only this branch id")
    cancel.set_defaults(func=cmd_bookings_cancel)
