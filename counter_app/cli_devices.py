"""``counter-app device`` and ``counter-app station``: stations' access and start-up.

device pair     a pairing code (10 minutes, once) to type on a new TV, kiosk or survey screen
device list     the devices, when each was last seen, when its token expires
device revoke   switch a device off: its tokens stop working, its live streams end
device rotate   a new token for a device (shown once), the old ones revoked
station install start this PC's station (counter, display, kiosk, survey) at login
                (``--remove`` undoes it)

The ``device`` commands work on the database directly (``--db``), as the server's
administrator; a server running elsewhere refuses revoked tokens within a few seconds and
ends their streams at its next heartbeat.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app.config import Settings
from counter_app.core.actor import Actor
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import DeviceKind, Role

if TYPE_CHECKING:
    from counter_app.server.discovery import Announcer

CLI_ACTOR = Actor(username="command-line", role=Role.ADMIN)
# A survey screen signs in with a display device token (views/survey).
# How long a stopping server waits for a registration still probing before it withdraws it.
ANNOUNCE_JOIN_SECONDS = 5.0
# How long the announcement waits for the server to accept connections (migrations included).
SERVING_WAIT_SECONDS = 300.0
KINDS = {"display": DeviceKind.DISPLAY, "kiosk": DeviceKind.KIOSK, "survey": DeviceKind.DISPLAY}


def _fail(message: str) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return 2


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(db_url=args.db) if args.db else Settings()


def _in_database(args: argparse.Namespace, work: Callable[[Any, datetime], int]) -> int:
    from counter_app.server.app import open_database

    db = open_database(_settings(args))
    try:
        with db.write() as session:
            return work(session, datetime.now(UTC))
    except AppError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()


def _when(at: datetime | None) -> str:
    return "-" if at is None else at.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_pair(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from counter_app.schemas.devices import PairingCodeRequest
    from counter_app.store.models import Branch
    from counter_app.store.pairing import CODE_MINUTES, create_code

    def work(session: Any, now: datetime) -> int:
        branch = args.branch or session.scalar(select(Branch.id).order_by(Branch.id))
        if branch is None:
            return _fail("no branch yet: run `counter-app setup FILE` first")
        request = PairingCodeRequest(
            kind=KINDS[args.kind], name=args.name, branch_id=branch, expires_days=args.expires_days
        )
        out = create_code(session, request, CLI_ACTOR, now)
        print(f"pairing code for {args.kind} {out.name!r}: {out.code}")
        print(
            f"type it on the station within {CODE_MINUTES} minutes (until {_when(out.expires_at)})"
        )
        return 0

    return _in_database(args, work)


def cmd_list(args: argparse.Namespace) -> int:
    from counter_app.store.device_tokens import list_devices

    def work(session: Any, now: datetime) -> int:
        rows = list_devices(session, CLI_ACTOR, now)
        print(f"{'id':>4}  {'kind':8} {'name':28} {'state':9} {'last seen':17} token expires")
        for d in rows:
            state = "active" if d.has_valid_token else "revoked" if not d.active else "no token"
            expires = _when(d.token_expires_at) if d.token_expires_at else "never"
            print(
                f"{d.id:>4}  {d.kind.value:8} {d.name[:28]:28} {state:9} "
                f"{_when(d.last_seen_at):17} {expires}"
            )
        return 0

    return _in_database(args, work)


def _device_id(session: Any, name: str) -> int | None:
    from counter_app.store.device_tokens import find_device

    device = find_device(session, name)
    if device is None and name.isdigit():
        from counter_app.store.models import Device

        device = session.get(Device, int(name))
    return None if device is None else int(device.id)


def cmd_revoke(args: argparse.Namespace) -> int:
    from counter_app.store.device_tokens import revoke_device

    def work(session: Any, now: datetime) -> int:
        device_id = _device_id(session, args.name)
        if device_id is None:
            return _fail(f"no device called {args.name!r} (see `counter-app device list`)")
        out, digests = revoke_device(session, device_id, CLI_ACTOR, now)
        print(f"device {out.name!r} revoked ({len(digests)} token(s))")
        return 0

    return _in_database(args, work)


def cmd_rotate(args: argparse.Namespace) -> int:
    from counter_app.store.device_tokens import rotate_device_token

    def work(session: Any, now: datetime) -> int:
        device_id = _device_id(session, args.name)
        if device_id is None:
            return _fail(f"no device called {args.name!r} (see `counter-app device list`)")
        out, token, expires, _digests = rotate_device_token(
            session, device_id, CLI_ACTOR, now, args.expires_days
        )
        print(f"new token for {out.name!r} (shown once): {token}")
        print(f"expires: {_when(expires) if expires else 'never'}")
        return 0

    return _in_database(args, work)


def cmd_station(args: argparse.Namespace) -> int:
    from counter_app import station_install

    if args.remove:
        removed = station_install.remove(args.role)
        print(f"removed {removed}" if removed else f"the {args.role} did not start at login")
        return 0
    done = station_install.install(args.role)
    print(f"the {args.role} starts at login: {done.where}")
    print(f"command: {done.command}")
    return 0


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError("a whole number of days from 1 to 3650")
    return days


def _expires(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expires-days",
        type=_days,
        metavar="DAYS",
        help="the device token lasts this many days (default: until revoked)",
    )


def add_device_commands(sub: Any, with_db: Any) -> None:
    from counter_app.station_install import ROLES

    device = sub.add_parser("device", help="stations' access: pair, list, revoke, rotate")
    commands = device.add_subparsers(dest="device_command", required=True)
    pair = with_db(commands.add_parser("pair", help="a pairing code to type on a new station"))
    pair.add_argument("--kind", required=True, choices=sorted(KINDS))
    pair.add_argument("--name", required=True, help='the station\'s name, e.g. "TV lobi"')
    pair.add_argument("--branch", type=int, help="branch id (default: the first)")
    _expires(pair)
    pair.set_defaults(func=cmd_pair)
    listing = with_db(commands.add_parser("list", help="the devices and when each was last seen"))
    listing.set_defaults(func=cmd_list)
    revoke = with_db(commands.add_parser("revoke", help="switch a device off at once"))
    revoke.add_argument("name", help="the device's name (or id)")
    revoke.set_defaults(func=cmd_revoke)
    rotate = with_db(commands.add_parser("rotate", help="a new token for a device, shown once"))
    rotate.add_argument("name", help="the device's name (or id)")
    _expires(rotate)
    rotate.set_defaults(func=cmd_rotate)

    station = sub.add_parser("station", help="this PC's station: start it at login")
    station_commands = station.add_subparsers(dest="station_command", required=True)
    install = station_commands.add_parser("install", help="start a station at login")
    install.add_argument("--role", required=True, choices=ROLES)
    install.add_argument("--remove", action="store_true", help="stop starting it at login")
    install.set_defaults(func=cmd_station)


def announce_in_background(settings: Settings, tls: tuple[Path, Path] | None) -> Callable[[], None]:
    """Announce on a thread of its own once the server accepts connections (a station must
    not find a server that cannot answer yet), and give back what withdraws it. mDNS
    registration probes the network for about 1.7 s: the server answers meanwhile, and its
    start does not share the processor with the announcement's."""
    started: list[Announcer] = []
    stopping = threading.Event()

    def announce() -> None:
        if not _wait_until_serving(settings.host, settings.port, stopping):
            return
        announcer = start_announcing(settings, tls)
        if announcer is not None:
            started.append(announcer)

    thread = threading.Thread(target=announce, name="mdns-announce", daemon=True)
    thread.start()

    def withdraw() -> None:
        stopping.set()
        thread.join(timeout=ANNOUNCE_JOIN_SECONDS)
        for announcer in started:
            announcer.stop()

    return withdraw


def _wait_until_serving(host: str, port: int, stopping: threading.Event) -> bool:
    """``True`` once ``host:port`` accepts a connection (the wildcard addresses are reached
    on loopback); ``False`` if stopping or still closed after ``SERVING_WAIT_SECONDS``."""
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    deadline = time.monotonic() + SERVING_WAIT_SECONDS
    while not stopping.is_set() and time.monotonic() < deadline:
        try:
            with socket.create_connection((target, port), timeout=1.0):
                return True
        except OSError:
            stopping.wait(0.05)
    return False


def start_announcing(settings: Settings, tls: tuple[Path, Path] | None) -> Announcer | None:
    """Announce the server on the LAN (unless ``COUNTER_APP_ANNOUNCE=false``): its branches'
    names, HTTPS and the certificate's fingerprint. ``None`` when off or impossible."""
    if not settings.announce:
        return None
    from counter_app.server.discovery import Announcement, Announcer, announce_addresses

    try:
        branches = _branch_names(settings)
        fingerprint = None
        if tls is not None:
            from counter_app.server.tls import file_fingerprint

            fingerprint = file_fingerprint(tls[0])
    except Exception as exc:  # the server starts anyway and says why below
        print(f"counter-app: not announced on the LAN: {exc}", file=sys.stderr)
        return None
    addresses = announce_addresses(settings.host)
    loopback = addresses in (["127.0.0.1"], ["::1"])
    announcer = Announcer(
        Announcement(settings.port, tls is not None, fingerprint, branches, addresses),
        interfaces=addresses if loopback else None,
    )
    return announcer if announcer.start() else None


def _branch_names(settings: Settings) -> list[str]:
    from sqlalchemy import select

    from counter_app.server.app import open_database
    from counter_app.store.models import Branch

    db = open_database(settings)
    try:
        with db.read() as session:
            return list(session.scalars(select(Branch.name).order_by(Branch.id)))
    finally:
        db.dispose()
