"""``counter-app hub``: run the hub, or manage it (docs/HUB.md).

hub [--db URL] [--workers N]     run the hub (PostgreSQL only; several processes welcome)
hub init [--username NAME]       create the hub admin (password typed, or from the environment)
hub add-branch NAME [--region R] register a branch; prints its link key once
hub add-user NAME --region R     a regional supervisor (sees their region's branches only)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from counter_app.config import Settings

ADMIN_PASSWORD_ENV = "COUNTER_APP_ADMIN_PASSWORD"
NEW_PASSWORD_ENV = "COUNTER_APP_NEW_PASSWORD"
DEFAULT_HUB_PORT = 8760


def _fail(message: str) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return 2


def _db_url(args: argparse.Namespace) -> str:
    url: str = args.db or Settings().db_url
    from counter_app.hub.app import require_postgresql

    require_postgresql(url)
    return url


def _sessions(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from counter_app.hub.store import create_schema
    from counter_app.store.db import normalise_url

    engine = create_engine(normalise_url(url))
    create_schema(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)


def _password(env: str, prompt: str) -> str | None:
    password = os.environ.get(env)
    if password:
        return password
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt)
    if first != getpass.getpass("Again: "):
        return None
    return first


def cmd_hub(args: argparse.Namespace) -> int:
    try:
        url = _db_url(args)
    except ValueError as exc:
        return _fail(str(exc))
    if args.hub_command is not None:
        return int(HUB_COMMANDS[args.hub_command](args, url))
    import uvicorn

    from counter_app.hub.app import HUB_DB_ENV
    from counter_app.server.serving import SHUTDOWN_GRACE_SECONDS

    os.environ[HUB_DB_ENV] = url
    uvicorn.run(
        "counter_app.hub.app:app_from_environment",
        factory=True,
        host=args.host or "127.0.0.1",
        port=args.port or DEFAULT_HUB_PORT,
        workers=args.workers,
        log_level=Settings().log_level,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    )
    return 0


def cmd_init(args: argparse.Namespace, url: str) -> int:
    from counter_app.hub import store

    engine, sessions = _sessions(url)
    try:
        with sessions.begin() as session:
            if store.has_admin(session):
                return _fail("the hub already has an admin")
            password = _password(ADMIN_PASSWORD_ENV, f"Password for {args.username}: ")
            if not password or len(password) < 8:
                return _fail(f"a password of 8 or more characters (typed or {ADMIN_PASSWORD_ENV})")
            store.add_user(session, args.username, password, store.HUB_ADMIN)
    finally:
        engine.dispose()
    print(f"hub admin {args.username!r} created")
    return 0


def cmd_add_branch(args: argparse.Namespace, url: str) -> int:
    from counter_app.hub import store

    engine, sessions = _sessions(url)
    try:
        with sessions.begin() as session:
            branch_id, key = store.add_branch(session, args.name, args.region)
    except store.HubRefusalError as exc:
        return _fail(exc.message)
    finally:
        engine.dispose()
    print(f"branch {branch_id}: {args.name}")
    print(f"link key (shown once): {key}")
    print("on the branch server: counter-app server --hub <hub address> --hub-key <link key>")
    return 0


def cmd_add_user(args: argparse.Namespace, url: str) -> int:
    from counter_app.hub import store

    password = _password(NEW_PASSWORD_ENV, f"Password for {args.name}: ")
    if not password or len(password) < 8:
        return _fail(f"a password of 8 or more characters (typed or {NEW_PASSWORD_ENV})")
    engine, sessions = _sessions(url)
    try:
        with sessions.begin() as session:
            store.add_user(session, args.name, password, store.REGIONAL_SUPERVISOR, args.region)
    except store.HubRefusalError as exc:
        return _fail(exc.message)
    finally:
        engine.dispose()
    print(f"regional supervisor {args.name!r} ({args.region}) created")
    return 0


HUB_COMMANDS: dict[str, Callable[[argparse.Namespace, str], int]] = {
    "init": cmd_init,
    "add-branch": cmd_add_branch,
    "add-user": cmd_add_user,
}


def add_hub_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], server: argparse.ArgumentParser
) -> None:
    """``counter-app hub …``, and the branch server's ``--hub``/``--hub-key``."""
    add_hub_link_options(server)
    hub = sub.add_parser("hub", help="run the hub that receives every branch's journal")
    hub.add_argument("--db", help="the hub's database: postgresql://user@host/db")
    hub.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    hub.add_argument("--port", type=int, help=f"port (default {DEFAULT_HUB_PORT})")
    hub.add_argument("--workers", type=int, default=1, help="hub processes")
    hub.add_argument("--ssl-certfile", help="HTTPS: the certificate (PEM, with its chain)")
    hub.add_argument("--ssl-keyfile", help="HTTPS: the certificate's private key (PEM)")
    hub.set_defaults(func=cmd_hub, hub_command=None)
    actions = hub.add_subparsers(dest="hub_command")
    init = actions.add_parser("init", help="create the hub admin")
    init.add_argument("--username", default="admin")
    branch = actions.add_parser("add-branch", help="register a branch; prints its link key")
    branch.add_argument("name", help='the branch\'s name, e.g. "Kecamatan Cibeber"')
    branch.add_argument("--region", help="its region (regional supervisors see their own)")
    user = actions.add_parser("add-user", help="a regional supervisor")
    user.add_argument("name", help="the username")
    user.add_argument("--region", required=True, help="the region they see")
    for action in (init, branch, user):
        action.add_argument("--db", help="the hub's database: postgresql://user@host/db")


def add_hub_link_options(server: argparse.ArgumentParser) -> None:
    """The branch server's link to its hub (or COUNTER_APP_HUB_URL / COUNTER_APP_HUB_KEY)."""
    server.add_argument("--hub", help="the hub to push this branch's journal to (https://…)")
    server.add_argument("--hub-key", help="this branch's link key (`counter-app hub add-branch`)")
