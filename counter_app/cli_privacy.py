"""``counter-app privacy``: a citizen's rights over their booking data, and the NIK key.

export           print, as JSON, everything held about a NIK (right of access)
erase            cancel the NIK's bookings still to come and erase its personal data (erasure)
rotate-nik-key   a new NIK hash key for new bookings; older keys stay until retention has
                 erased every hash made with them (docs/PRIVACY.md)

The NIK is given with ``--nik`` or, better (it then stays out of the shell's history and the
process list), typed when asked.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from counter_app.cli_common import fail as _fail
from counter_app.cli_common import settings_from as _settings
from counter_app.core.actor import Actor
from counter_app.core.errors import AppError
from counter_app.core.nik import Nik, check_nik
from counter_app.core.vocabulary import Role


def _nik(args: argparse.Namespace) -> Nik:
    text = args.nik
    if text is None:
        text = getpass.getpass("NIK: ") if sys.stdin.isatty() else sys.stdin.readline()
    return check_nik(text.strip())


def _with_keys(args: argparse.Namespace, work: Any) -> int:
    """Run ``work(session, keys, now)`` in one write transaction; print its JSON answer."""
    from counter_app.server.app import open_database
    from counter_app.server.keys import load_keys
    from counter_app.store.secrets import NikKeyError

    try:
        nik = _nik(args)
    except AppError as exc:
        return _fail(exc.message)
    settings = _settings(args)
    db = open_database(settings)
    now = datetime.now(UTC)
    try:
        keys = load_keys(settings, db, now)
        with db.write() as session:
            answer = work(session, nik, keys.nik, now)
    except NikKeyError as exc:
        return _fail(str(exc))
    finally:
        db.dispose()
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from counter_app.store.booking.privacy import export_nik

    return _with_keys(args, lambda session, nik, keys, now: export_nik(session, nik, keys))


def cmd_erase(args: argparse.Namespace) -> int:
    from counter_app.store.booking.privacy import erase_nik

    actor = Actor(username="privacy", role=Role.ADMIN)
    return _with_keys(
        args, lambda session, nik, keys, now: erase_nik(session, nik, keys, actor, now)
    )


def cmd_rotate_nik_key(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from counter_app.server.app import open_database
    from counter_app.server.keys import load_keys, nik_key_path
    from counter_app.store.models import Booking
    from counter_app.store.secrets import NikKeyError, add_key

    settings = _settings(args)
    if settings.nik_key:
        return _fail(
            "the NIK keys come from COUNTER_APP_NIK_KEY: add a new key (64 hex digits) at its "
            "end, after a comma, and restart the servers"
        )
    db = open_database(settings)
    try:
        load_keys(settings, db, datetime.now(UTC))  # moves an old in-database key out first
        keys = add_key(nik_key_path(settings))
        with db.read() as session:
            used = Counter(
                session.scalars(select(Booking.nik_key_id).where(Booking.nik_hash.is_not(None)))
            )
    except NikKeyError as exc:
        return _fail(str(exc))
    finally:
        db.dispose()
    print(f"new NIK key {keys.current_id} in {nik_key_path(settings)}; restart the servers")
    for key_id in keys.ids[:-1]:
        print(f"older key {key_id}: {used.get(key_id, 0)} booking hashes still made with it")
    return 0


def add_privacy_commands(sub: Any, with_db: Any) -> None:
    privacy = sub.add_parser("privacy", help="citizens' booking data: export, erase; the NIK key")
    commands = privacy.add_subparsers(dest="privacy_command", required=True)
    for name, func, text in (
        ("export", cmd_export, "print everything held about a NIK, as JSON"),
        ("erase", cmd_erase, "cancel and anonymise a NIK's bookings; says what it did"),
    ):
        command = with_db(commands.add_parser(name, help=text))
        command.add_argument("--nik", help="the NIK (asked for when left out)")
        command.set_defaults(func=func)
    rotate = with_db(
        commands.add_parser("rotate-nik-key", help="a new NIK hash key for new bookings")
    )
    rotate.set_defaults(func=cmd_rotate_nik_key)
