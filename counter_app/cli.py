"""``counter-app``: one command with a subcommand per job.

server      run the server for real use
demo        the server on a local SQLite file with a sample office (plus the windows that exist)
counter     the counter officer's window (``--with-display``: and the TV beside it)
supervisor  the supervisor's live board: counters, queues, alerts, transfers
display     the waiting-room TV: calls, counters, queues, spoken announcements
kiosk       the ticket kiosk (fullscreen; a device token)
survey-tablet  the satisfaction survey on a counter's second screen or tablet (a display token)
reports     the office's reports, for a supervisor or admin (CSV, XLSX, PDF)
init        create the first admin account
setup FILE  create branches, services, counters, users and devices from a TOML file
migrate     bring the database schema up to date (the server also does it at start)
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import secrets
import sys
import tomllib
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from counter_app import __version__
from counter_app.config import Settings, default_data_dir
from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role

DEMO_PASSWORD_ENV = "COUNTER_APP_DEMO_PASSWORD"
ADMIN_PASSWORD_ENV = "COUNTER_APP_ADMIN_PASSWORD"
DEMO_KIOSK = "Kiosk lobi"
# Top-level modules of the [stations] extra (pyproject.toml): not in a server-only install.
STATION_MODULES = frozenset({"PySide6", "shiboken6", "requests", "pyttsx3", "escpos", "serial"})
# Event streams never end by themselves: without a limit, stopping the server would wait for
# every connected display and counter to hang up. Their clients reconnect and resume.


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "db", None):
        overrides["db_url"] = args.db
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    return Settings(**overrides)  # type: ignore[arg-type]


def _fail(message: str) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return 2


def _serve(settings: Settings, workers: int) -> None:
    import uvicorn

    from counter_app.server.serving import SHUTDOWN_GRACE_SECONDS

    if workers > 1:
        # Worker processes build their own app from the environment.
        os.environ["COUNTER_APP_DB_URL"] = settings.db_url
        uvicorn.run(
            "counter_app.server.app:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=workers,
            log_level=settings.log_level,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            forwarded_allow_ips=settings.trusted_proxies,
        )
        return
    from counter_app.server.app import create_app
    from counter_app.server.serving import serve

    serve(
        create_app(settings),
        settings.host,
        settings.port,
        settings.log_level,
        settings.trusted_proxies,
    )


def cmd_server(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _serve(settings, args.workers)
    return 0


def _load_office_file(text: str, source: str) -> object:
    from counter_app.schemas.office_file import OfficeFile

    try:
        return OfficeFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(_fail(f"{source} is not valid TOML: {exc}")) from None
    except ValidationError as exc:
        raise SystemExit(_fail(f"{source} has errors:\n{exc}")) from None


def _setup_actor() -> Actor:
    return Actor(username="setup", role=Role.ADMIN)


def cmd_setup(args: argparse.Namespace) -> int:
    from counter_app.core.errors import AppError
    from counter_app.schemas.office_file import OfficeFile
    from counter_app.server.app import open_database
    from counter_app.store.office_file import apply_office

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"no such file: {path}")
    data = _load_office_file(path.read_text(encoding="utf-8"), str(path))
    assert isinstance(data, OfficeFile)
    db = open_database(_settings(args))
    try:
        with db.write() as session:
            report = apply_office(session, data, _setup_actor(), datetime.now(UTC))
    except AppError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    for line in report.created:
        print(f"created  {line}")
    for line in report.kept:
        print(f"kept     {line}")
    for name, token in report.device_tokens.items():
        print(f"device token for {name!r} (shown once): {token}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from counter_app.server.app import open_database
    from counter_app.store.models import User
    from counter_app.store.office import add_admin

    password = os.environ.get(ADMIN_PASSWORD_ENV)
    if not password:
        if not sys.stdin.isatty():
            return _fail(f"set {ADMIN_PASSWORD_ENV} or run interactively to type a password")
        password = getpass.getpass("Password for the new admin: ")
        if password != getpass.getpass("Once more: "):
            return _fail("the two passwords differ")
    if len(password) < 8:
        return _fail("the password needs at least 8 characters")
    db = open_database(_settings(args))
    try:
        with db.write() as session:
            if session.scalar(select(User.id).where(User.role == Role.ADMIN.value)) is not None:
                return _fail("an admin already exists; log in as that admin to add users")
            if session.scalar(select(User.id).where(User.username == args.username)) is not None:
                return _fail(f"the username {args.username!r} is taken")
            add_admin(session, args.username, password, datetime.now(UTC))
    finally:
        db.dispose()
    print(f"created admin {args.username!r}")
    return 0


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
                session, found, _setup_actor(), datetime.now(UTC)
            )
    except AppError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    print(f"cancelled {len(cancelled)}: {' '.join(cancelled) or '-'}")
    if skipped:
        print(f"skipped (no longer booked) {len(skipped)}: {' '.join(skipped)}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from counter_app.server.app import open_database

    open_database(_settings(args)).dispose()
    print("database schema is up to date")
    return 0


DEMO_DISPLAY = "TV ruang tunggu"  # the sample office's TV device (resources/demo_office.toml)


def demo_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'demo.sqlite3'}"


def prepare_demo(settings: Settings, password: str) -> dict[str, str]:
    """Create the sample office (once) and set every demo account's password."""
    from sqlalchemy import select

    from counter_app.schemas.office_file import OfficeFile
    from counter_app.server.app import open_database
    from counter_app.store.auth import issue_device_token
    from counter_app.store.models import Device, User
    from counter_app.store.office import add_admin
    from counter_app.store.office_file import apply_office, reset_password

    text = (
        resources.files("counter_app.resources")
        .joinpath("demo_office.toml")
        .read_text(encoding="utf-8")
    )
    data = OfficeFile.model_validate(tomllib.loads(text))
    db = open_database(settings)
    try:
        with db.write() as session:
            report = apply_office(
                session,
                data,
                _setup_actor(),
                datetime.now(UTC),
                lambda _u, _e: password,
            )
            if session.scalar(select(User.id).where(User.username == "admin")) is None:
                add_admin(session, "admin", password, datetime.now(UTC))
            for user in ["admin", *(u.username for b in data.branches for u in b.users)]:
                reset_password(session, user, password)
            # Tokens are shown only once; a demo started again gives its devices new ones.
            tokens = dict(report.device_tokens)
            for device in session.scalars(select(Device).order_by(Device.id)):
                if device.name not in tokens:
                    tokens[device.name] = issue_device_token(session, device, datetime.now(UTC))
    finally:
        db.dispose()
    return tokens


def cmd_demo(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not args.db:
        settings = settings.model_copy(update={"db_url": demo_db_url()})
    if "COUNTER_APP_API_DOCS" not in os.environ:
        settings = settings.model_copy(update={"api_docs": True})  # the demo shows /docs
    password = os.environ.get(DEMO_PASSWORD_ENV) or secrets.token_urlsafe(9)
    tokens = prepare_demo(settings, password)
    url = f"http://{settings.host}:{settings.port}"
    print(f"counter_app {__version__} demo")
    print(f"  server:    {url}   (API docs: {url}/docs)")
    print(f"  booking:   {url}/pesan   (the citizens' online booking pages)")
    print(f"  database:  {settings.db_url}")
    print("  accounts:  admin, supervisor, petugas1 .. petugas4")
    print(
        f"  password:  {password}"
        + (
            ""
            if os.environ.get(DEMO_PASSWORD_ENV)
            else "   (generated; set COUNTER_APP_DEMO_PASSWORD to choose)"
        )
    )
    for name, token in tokens.items():
        print(f"  device token for {name!r}: {token}")
    if not args.headless and not has_screen():
        print("  windows:   none — no screen found (no DISPLAY); running the server alone")
    elif not args.headless:
        print(
            "  windows:   the counter window (petugas1 at Loket 1), the TV display, the kiosk,"
            " Loket 1's survey screen and the supervisor board"
        )
        sys.stdout.flush()
        return _demo_with_windows(
            settings, password, tokens.get(DEMO_DISPLAY), tokens.get(DEMO_KIOSK)
        )
    sys.stdout.flush()
    _serve(settings, 1)
    return 0


def has_screen() -> bool:
    """Can windows be shown here? (A server box over SSH has no screen.)"""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _demo_with_windows(
    settings: Settings, password: str, display_token: str | None, kiosk_token: str | None
) -> int:
    """Qt owns the main thread of a windowed process: the server runs in a thread beside it."""
    from counter_app.server.app import create_app
    from counter_app.server.background import BackgroundServer
    from counter_app.views.demo import run_demo_window

    app = create_app(settings)
    with BackgroundServer(app, settings.host, settings.port, settings.log_level) as server:
        return run_demo_window(server.url, password, display_token, kiosk_token)


def _remember_display(args: argparse.Namespace) -> int | None:
    """Store the display options given on the command line; a message on a bad one."""
    from counter_app.views.display.run import remember
    from counter_app.views.display.settings import DisplaySettings

    try:
        remember(
            DisplaySettings(),
            token=args.token,
            screen=args.screen,
            announce=args.announce,
            volume=args.volume,
            repeat=args.repeat,
            language=args.speech_language,
            leds=args.led,
        )
    except ValueError as exc:
        return _fail(str(exc))
    return None


def cmd_display(args: argparse.Namespace) -> int:
    failed = _remember_display(args)
    if failed is not None:
        return failed
    from counter_app.views.display.run import run_display

    return run_display(args.server, screen=args.screen, windowed=args.windowed)


def cmd_counter(args: argparse.Namespace) -> int:
    if args.with_display:
        failed = _remember_display(args)
        if failed is not None:
            return failed
    from counter_app.views.counter.run import run_counter

    return run_counter(args.server, with_display=args.with_display, screen=args.screen)


def display_options(p: argparse.ArgumentParser) -> None:
    """The TV station's options; each given one is remembered for the next start."""
    p.add_argument("--token", help="the display device's token (remembered)")
    p.add_argument("--screen", help="screen number (0, 1, …) or name (e.g. HDMI-1) for the TV")
    p.add_argument(
        "--announce",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether this station speaks the calls (one station per hall should)",
    )
    p.add_argument("--volume", type=int, choices=range(0, 101), metavar="0-100")
    p.add_argument("--repeat", type=int, choices=(1, 2, 3), help="how often each call is said")
    p.add_argument("--speech-language", choices=("id", "en"), help="language of the calls")
    p.add_argument(
        "--led",
        help="serial LED displays, e.g. '1=/dev/ttyUSB0,address=1;2=/dev/ttyUSB0,address=2'",
    )


def cmd_kiosk(args: argparse.Namespace) -> int:
    from counter_app.views.kiosk.run import run_kiosk

    return run_kiosk(args.server, args.token, fullscreen=not args.windowed)


def cmd_survey_tablet(args: argparse.Namespace) -> int:
    from counter_app.views.survey.run import remember, run_survey_tablet
    from counter_app.views.survey.settings import SurveySettings

    remember(SurveySettings(), token=args.token, counter=args.counter, screen=args.screen)
    return run_survey_tablet(args.server, windowed=args.windowed)


def _counter_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise argparse.ArgumentTypeError("a counter number from 1 to 999")
    return int(text)


def cmd_supervisor(args: argparse.Namespace) -> int:
    from counter_app.views.supervisor.run import run_supervisor

    return run_supervisor(args.server)


def cmd_reports(args: argparse.Namespace) -> int:
    from counter_app.views.reports.run import run_reports

    return run_reports(args.server, args.branch)


def add_window_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The desktop windows: counter, TV display, kiosk, survey screen, supervisor, reports."""
    counter = sub.add_parser("counter", help="the counter officer's window")
    counter.add_argument(
        "--server", help="server address, e.g. http://192.168.1.10:8750 (default: the last used)"
    )
    counter.add_argument(
        "--with-display",
        action="store_true",
        help="also drive the waiting-room TV from this PC (the display options below apply)",
    )
    display_options(counter)
    counter.set_defaults(func=cmd_counter)

    display = sub.add_parser("display", help="the waiting-room TV (display device token)")
    display.add_argument("--server", help="server address (default: the last used)")
    display.add_argument(
        "--windowed", action="store_true", help="a normal window instead of fullscreen"
    )
    display_options(display)
    display.set_defaults(func=cmd_display)

    kiosk = sub.add_parser("kiosk", help="the ticket kiosk, fullscreen")
    kiosk.add_argument(
        "--server", help="server address, e.g. http://192.168.1.10:8750 (default: the last used)"
    )
    kiosk.add_argument("--token", help="the kiosk's device token (remembered)")
    kiosk.add_argument(
        "--windowed", action="store_true", help="a normal window instead of locked fullscreen"
    )
    kiosk.set_defaults(func=cmd_kiosk)

    survey = sub.add_parser(
        "survey-tablet",
        help="the satisfaction survey on a counter's second screen or tablet (display token)",
    )
    survey.add_argument("--server", help="server address (default: the last used)")
    survey.add_argument(
        "--counter",
        type=_counter_number,
        help="the counter (loket) number whose finished tickets are surveyed (remembered)",
    )
    survey.add_argument("--screen", help="screen number (0, 1, …) or name (remembered)")
    survey.add_argument(
        "--token",
        help="a display device token of the branch (remembered; default: this PC's TV token)",
    )
    survey.add_argument(
        "--windowed", action="store_true", help="a normal window instead of fullscreen"
    )
    survey.set_defaults(func=cmd_survey_tablet)
    supervisor = sub.add_parser(
        "supervisor", help="the supervisor's live board of the office (supervisor or admin)"
    )
    supervisor.add_argument(
        "--server", help="server address, e.g. http://192.168.1.10:8750 (default: the last used)"
    )
    supervisor.set_defaults(func=cmd_supervisor)

    reports = sub.add_parser("reports", help="the office's reports (a supervisor or admin)")
    reports.add_argument(
        "--server", help="server address, e.g. http://192.168.1.10:8750 (default: the last used)"
    )
    reports.add_argument(
        "--branch", type=int, help="branch id (default: the account's own, else the first)"
    )
    reports.set_defaults(func=cmd_reports)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app", description="Queue-calling system for public-service offices."
    )
    parser.add_argument("--version", action="version", version=f"counter-app {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="database URL: sqlite:///path or postgresql://user@host/db")
        return p

    server = with_db(sub.add_parser("server", help="run the server"))
    server.add_argument(
        "--host", help="address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)"
    )
    server.add_argument("--port", type=int, help="port (default 8750)")
    server.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL only)")
    server.set_defaults(func=cmd_server)

    demo = with_db(
        sub.add_parser("demo", help="run everything on one machine with a sample office")
    )
    demo.add_argument("--host")
    demo.add_argument("--port", type=int)
    demo.add_argument("--headless", action="store_true", help="only the server, no windows")
    demo.set_defaults(func=cmd_demo)

    add_window_commands(sub)

    init = with_db(sub.add_parser("init", help="create the first admin"))
    init.add_argument("--username", default="admin")
    init.set_defaults(func=cmd_init)

    setup = with_db(sub.add_parser("setup", help="apply an office set-up file (TOML)"))
    setup.add_argument("file")
    setup.set_defaults(func=cmd_setup)

    migrate = with_db(sub.add_parser("migrate", help="update the database schema"))
    migrate.set_defaults(func=cmd_migrate)

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if (
        args.command == "server"
        and args.workers > 1
        and (args.db or Settings().db_url).startswith("sqlite")
    ):
        return _fail("several workers need PostgreSQL; SQLite has one writer")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        result: int = args.func(args)
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing == "psycopg":
            return _fail("PostgreSQL needs its driver: pip install 'counter-app[postgres]'")
        if missing not in STATION_MODULES:
            raise
        # A server-only install (`pip install counter-app`) has no Qt, audio or printer
        # libraries; the windows say so instead of a traceback.
        return _fail(
            f"the {args.command} window needs the station libraries ({exc.name} is missing): "
            "pip install 'counter-app[stations]'"
        )
    return result


if __name__ == "__main__":
    raise SystemExit(main())
