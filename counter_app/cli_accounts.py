"""``counter-app user disable|enable|set-password NAME``: remove or restore an account's
access straight on the database (an operator at the server, e.g. when no admin can log in)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from counter_app.cli_common import fail as _fail
from counter_app.cli_common import settings_from as _settings
from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role

NEW_PASSWORD_ENV = "COUNTER_APP_NEW_PASSWORD"


def _read_new_password() -> str | None:
    """A new password from ``COUNTER_APP_NEW_PASSWORD`` or typed twice; ``None`` if not."""
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    password = getpass.getpass("New password: ")
    return password if password == getpass.getpass("Once more: ") else None


def cmd_user(args: argparse.Namespace) -> int:
    """Disable, enable or set the password of an account, straight on the database (an
    operator at the server, e.g. when no admin can log in). A running server refuses the
    revoked tokens within seconds and ends their event streams at the next heartbeat."""
    from sqlalchemy import select

    from counter_app.core.errors import AppError
    from counter_app.server.app import open_database
    from counter_app.store import users
    from counter_app.store.auth import hash_password
    from counter_app.store.models import User

    password_hash = None
    if args.action == "set-password":
        password = _read_new_password()
        if password is None:
            return _fail(f"set {NEW_PASSWORD_ENV} or type the same password twice")
        if len(password) < 8:
            return _fail("the password needs at least 8 characters")
        password_hash = hash_password(password)
    actor = Actor(username="command line", role=Role.ADMIN)
    db = open_database(_settings(args))
    try:
        with db.write() as session:
            user_id = session.scalar(select(User.id).where(User.username == args.name))
            if user_id is None:
                return _fail(f"there is no user {args.name!r}")
            target = users.get_user(session, user_id)
            if args.action == "disable":
                users.disable_account(session, target, actor, datetime.now(UTC))
            elif args.action == "enable":
                target.active = True
            else:
                assert password_hash is not None
                users.set_password_hash(session, user_id, password_hash, None)
    except AppError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    done = {"disable": "disabled", "enable": "enabled", "set-password": "set the password of"}
    logging.getLogger("counter_app.security").warning(
        "%s user=%r from=command line", done[args.action], args.name
    )
    print(f"{done[args.action]} {args.name!r}")
    return 0


def add_user_commands(sub: Any, with_db: Any) -> None:
    user = sub.add_parser("user", help="disable or enable an account, or set its password")
    actions = user.add_subparsers(dest="action", required=True)
    for action, text in (
        ("disable", "end the account's sessions and refuse its logins"),
        ("enable", "let a disabled account log in again"),
        ("set-password", f"set a new password (typed, or from {NEW_PASSWORD_ENV})"),
    ):
        one = with_db(actions.add_parser(action, help=text))
        one.add_argument("name", help="the username")
        one.set_defaults(func=cmd_user)
