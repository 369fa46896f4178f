"""``counter-app``: one command with a subcommand per job.

server      run the server for real use (HTTPS: --ssl-certfile/--ssl-keyfile or --tls self-signed)
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
tls         HTTPS: make-cert (the server's own), fingerprint FILE, forget ADDRESS (on a station)
simulate    play office days against a server on a simulation clock; report waits and estimates
hub         the hub that receives every branch's journal (``hub init``, ``hub add-branch``)
privacy     a citizen's booking data (export, erase) and the NIK key (rotate-nik-key)
device      stations' access: pair (a code for a new station), list, revoke, rotate
station     start this PC's station at login (station install --role …)
user        disable or enable an account, or set its password (``user disable NAME``)
backup      a consistent copy of the database, safe while the server runs
restore FILE  put the database back as it was in a backup (the server stopped)
"""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import logging
import os
import secrets
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from counter_app import __version__
from counter_app.cli_accounts import add_user_commands
from counter_app.cli_backup import add_backup_commands
from counter_app.cli_bookings import add_bookings_commands
from counter_app.cli_common import fail as _fail
from counter_app.cli_common import settings_from as _settings
from counter_app.cli_devices import add_device_commands, announce_in_background
from counter_app.cli_hub import add_hub_command
from counter_app.cli_privacy import add_privacy_commands
from counter_app.cli_training import add_training_command
from counter_app.config import Settings, default_data_dir
from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role
from counter_app.server import gc_policy

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEMO_PASSWORD_ENV = "COUNTER_APP_DEMO_PASSWORD"
ADMIN_PASSWORD_ENV = "COUNTER_APP_ADMIN_PASSWORD"
DEMO_KIOSK = "Kiosk lobi"
# Top-level modules of the [stations] extra (pyproject.toml): not in a server-only install.
STATION_MODULES = frozenset({"PySide6", "shiboken6", "requests", "pyttsx3", "escpos", "serial"})
# Modules of the smaller extras (pyproject.toml), and what main() says when one is missing.
API_DOCS_MODULE = "swagger_ui_bundle"
EXTRA_MISSING = {
    "psycopg": "PostgreSQL needs its driver: pip install 'counter-app[postgres]'",
    "psycopg_pool": "the hub needs psycopg's pool: pip install 'counter-app[postgres]'",
    "cryptography": (
        "the server's own certificate (--tls self-signed, tls make-cert) needs the "
        "cryptography package: pip install 'counter-app[tls]'"
    ),
    API_DOCS_MODULE: (
        "the API documentation (COUNTER_APP_API_DOCS) needs Swagger UI's files: "
        "pip install 'counter-app[apidocs]'"
    ),
}
# Event streams never end by themselves: without a limit, stopping the server would wait for
# every connected display and counter to hang up. Their clients reconnect and resume.


def tls_files(settings: Settings) -> tuple[Path, Path] | None:
    """The certificate and key to serve HTTPS with, or ``None`` for plain HTTP. A
    self-signed certificate is made on first use; its fingerprint is printed so that the
    administrator can compare it with what the stations show."""
    if settings.ssl_certfile or settings.ssl_keyfile:
        if not (settings.ssl_certfile and settings.ssl_keyfile):
            raise ValueError("--ssl-certfile and --ssl-keyfile go together")
        return settings.ssl_certfile, settings.ssl_keyfile
    if not settings.tls_self_signed:
        return None
    from counter_app.server.tls import make_self_signed

    made = make_self_signed(settings.tls_dir)
    state = "made" if made.created else "found"
    print(f"TLS certificate ({state}): {made.cert}")
    print(f"SHA-256 fingerprint: {made.fingerprint}")
    return made.cert, made.key


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _serve(settings: Settings, workers: int) -> None:
    if settings.api_docs and not _installed(API_DOCS_MODULE):
        # Said here, before any worker process starts; main() names the extra.
        raise ModuleNotFoundError(f"No module named {API_DOCS_MODULE!r}", name=API_DOCS_MODULE)
    tls = tls_files(settings)
    withdraw = announce_in_background(settings, tls)
    try:
        _run_server(settings, workers, tls)
    finally:
        withdraw()


def _run_server(settings: Settings, workers: int, tls: tuple[Path, Path] | None) -> None:
    import uvicorn

    from counter_app.server.serving import SHUTDOWN_GRACE_SECONDS

    if workers > 1:
        gc_policy.resume()  # this process only supervises the workers
        # Worker processes build their own app from the environment.
        os.environ["COUNTER_APP_DB_URL"] = settings.db_url
        if settings.hub_url and settings.hub_key:
            # Each process then pushes; the hub ignores what it already holds (docs/HUB.md).
            os.environ["COUNTER_APP_HUB_URL"] = settings.hub_url
            os.environ["COUNTER_APP_HUB_KEY"] = settings.hub_key
        uvicorn.run(
            "counter_app.server.app:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=workers,
            log_level=settings.log_level,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            ssl_certfile=str(tls[0]) if tls else None,
            ssl_keyfile=str(tls[1]) if tls else None,
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
        tls,
        settings.trusted_proxies,
    )


def cmd_server(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        if args.simulation_clock or args.sim_start or args.sim_speed is not None:
            return _serve_simulation(args, settings)
        _serve(settings, args.workers)
    except ValueError as exc:
        return _fail(str(exc))
    return 0


def cmd_tls_make_cert(args: argparse.Namespace) -> int:
    from counter_app.server.tls import lan_names, make_self_signed

    directory = Path(args.dir) if args.dir else Settings().tls_dir
    made = make_self_signed(directory, [*args.name, *lan_names()] if args.name else None)
    print(f"certificate: {made.cert}{'' if made.created else ' (already there, kept)'}")
    print(f"key:         {made.key} (readable by its owner only)")
    print(f"SHA-256 fingerprint: {made.fingerprint}")
    return 0


def cmd_tls_fingerprint(args: argparse.Namespace) -> int:
    from counter_app.server.tls import file_fingerprint

    try:
        print(file_fingerprint(Path(args.certfile)))
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read a PEM certificate from {args.certfile}: {exc}")
    return 0


def cmd_tls_forget(args: argparse.Namespace) -> int:
    from counter_app.views.pins import station_pins

    pins = station_pins()
    address = args.address
    if pins.pinned(address) is None:
        print(f"no certificate pinned for {address}")
        return 1
    pins.forget(address)
    print(f"forgot the certificate of {address}; the next connection pins the new one")
    return 0


def _serve_simulation(args: argparse.Namespace, settings: Settings) -> int:
    """The server on a simulation clock: only on a simulation database named with --db."""
    from counter_app.server.app import create_app
    from counter_app.server.serving import serve
    from counter_app.server.sim_clock import SimulationClock, simulation_refusal

    if not args.simulation_clock:
        return _fail("--sim-start and --sim-speed need --simulation-clock")
    refusal = simulation_refusal(args.db)
    if refusal is not None:
        return _fail(refusal)
    if args.workers != 1:
        return _fail("a simulation clock lives in one process: use --workers 1")
    start = datetime.now(UTC)
    if args.sim_start:
        try:
            start = datetime.fromisoformat(args.sim_start)
        except ValueError:
            return _fail(f"--sim-start {args.sim_start!r} is not an ISO date and time")
        if start.tzinfo is None:
            return _fail("--sim-start needs a time zone, e.g. 2026-03-02T07:00:00+07:00")
    speed = 1.0 if args.sim_speed is None else args.sim_speed
    if speed < 0:
        return _fail("--sim-speed cannot be negative")
    clock = SimulationClock(start, speed)
    print(f"simulation clock: {clock().isoformat()} at {speed:g}x real time (SIMULASI)")
    sys.stdout.flush()
    serve(create_app(settings, simulation=clock), settings.host, settings.port, settings.log_level)
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from counter_app.simulate.profile import ProfileError, load_profile
    from counter_app.simulate.run import Options, SimulationError, print_summary, simulate

    if args.show_office:
        try:
            print(load_profile(args.profile).office_text, end="")
        except ProfileError as exc:
            return _fail(str(exc))
        return 0

    start = None
    if args.start:
        try:
            start = date.fromisoformat(args.start)
        except ValueError:
            return _fail(f"--start {args.start!r} is not a date (YYYY-MM-DD)")
    options = Options(
        profile=args.profile,
        days=args.days,
        hours=args.hours,
        start=start,
        seed=args.seed,
        pace=args.pace,
        report=Path(args.report) if args.report else None,
        server=args.server,
        admin=args.admin,
        password_env=args.password_env,
        keep_db=Path(args.keep_db) if args.keep_db else None,
        citizens_only=args.citizens_only,
        training=args.training,
    )
    try:
        report = simulate(options)
    except SimulationError as exc:
        return _fail(str(exc))
    if not options.citizens_only:
        print_summary(report)
    if options.report is not None:
        print(f"report written to {options.report}")
    return 0


def add_simulate_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "simulate",
        help="play office days on a simulation clock and report waits and estimate accuracy",
        description="Without --server: a throw-away server on a temporary SQLite database with "
        "the profile's office. With --server: a server started with --simulation-clock that "
        "already has the profile's office (docs/SIMULATOR.md).",
    )
    p.add_argument(
        "--profile", required=True, help="a shipped profile (dukcapil, puskesmas) or a .toml file"
    )
    p.add_argument("--days", type=int, default=1, help="working days to play (default 1)")
    p.add_argument("--hours", type=float, help="play only this many hours of each day")
    p.add_argument("--start", help="first day, YYYY-MM-DD (default 2026-03-02 or the next day)")
    p.add_argument("--seed", type=int, help="random seed (default: the profile's)")
    p.add_argument(
        "--pace",
        type=float,
        help="at most this many simulated seconds per real second (to watch it in the windows)",
    )
    p.add_argument("--report", help="write the JSON report here")
    p.add_argument("--server", help="a running server on a simulation clock, e.g. http://…:8750")
    p.add_argument("--admin", default="admin", help="the admin account (with --server)")
    p.add_argument(
        "--password-env",
        default="COUNTER_APP_SIM_PASSWORD",
        help="environment variable with the admin's and officers' password (with --server)",
    )
    p.add_argument("--keep-db", help="copy the throw-away database and server log here")
    p.add_argument(
        "--citizens-only",
        action="store_true",
        help="with --server: only issue the walk-ins, in real time (--pace to hurry); "
        "people call them (docs/TRAINING.md)",
    )
    p.add_argument(
        "--training",
        action="store_true",
        help="with --citizens-only: switch the branch to training first (MODE LATIHAN)",
    )
    p.add_argument(
        "--show-office",
        action="store_true",
        help="print the profile's office set-up file (for `counter-app setup`) and stop",
    )
    p.set_defaults(func=cmd_simulate)


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
    print_public_url(_settings(args))
    return 0


def public_url(settings: Settings) -> str | None:
    """The address for phones: the setting, else this machine's LAN address and port."""
    from counter_app.netaddr import lan_base_url

    return settings.public_url or lan_base_url(settings.port)


def print_public_url(settings: Settings) -> str | None:
    """Say which address the ticket QR codes should hold, and how to set it."""
    url = public_url(settings)
    if url is None:
        print(
            "public address: none found (no network?). Set COUNTER_APP_PUBLIC_URL and each "
            "kiosk's 'Address for the QR code' to an address phones can reach."
        )
    else:
        print(
            f"public address for the ticket QR codes: {url}  (set each kiosk's 'Address for "
            "the QR code' to it; COUNTER_APP_PUBLIC_URL overrides it)"
        )
    return url


def cmd_migrate(args: argparse.Namespace) -> int:
    from counter_app.server.app import open_database

    open_database(_settings(args)).dispose()
    print("database schema is up to date")
    return 0


DEMO_DISPLAY = "TV ruang tunggu"  # the sample office's TV device (resources/demo_office.toml)


def demo_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'demo.sqlite3'}"


DEMO_MARKER = "demo_database"  # a server_secrets row: this database is the demo's


class NotADemoDatabaseError(Exception):
    """``demo --db`` named a database the demo did not create (a real office's)."""


def claim_for_demo(session: Session, default_place: bool) -> None:
    """Mark an empty database as the demo's, or check that it is: the demo resets every
    demo account's password (``admin`` included) and adds a sample office, which must never
    happen to a real office's database. The demo's own file in the data directory counts as
    the demo's (it was made before there was a marker)."""
    from sqlalchemy import select

    from counter_app.store.models import Branch, ServerSecret, User

    marked = session.get(ServerSecret, DEMO_MARKER) is not None
    empty = (
        session.scalar(select(User.id).limit(1)) is None
        and session.scalar(select(Branch.id).limit(1)) is None
    )
    if marked:
        return
    if not (empty or default_place):
        raise NotADemoDatabaseError
    session.add(
        ServerSecret(
            name=DEMO_MARKER, value="created by counter-app demo", created_at=datetime.now(UTC)
        )
    )
    session.flush()


def prepare_demo(settings: Settings, password: str) -> dict[str, str]:
    """Create the sample office (once) and set every demo account's password."""
    from sqlalchemy import select

    from counter_app.schemas.office_file import OfficeFile
    from counter_app.server.app import open_database
    from counter_app.store.auth import issue_device_token
    from counter_app.store.device_tokens import revoke_tokens
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
            claim_for_demo(session, settings.db_url == demo_db_url())
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
            # Tokens are shown only once; a demo started again gives its devices new ones
            # and revokes the old ones (they were printed, maybe shared).
            tokens = dict(report.device_tokens)
            for device in session.scalars(select(Device).order_by(Device.id)):
                if device.name not in tokens:
                    revoke_tokens(session, device.id)
                    tokens[device.name] = issue_device_token(session, device, datetime.now(UTC))
    finally:
        db.dispose()
    return tokens


def cmd_demo(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not args.db:
        settings = settings.model_copy(update={"db_url": demo_db_url()})
    if "COUNTER_APP_API_DOCS" not in os.environ and _installed(API_DOCS_MODULE):
        settings = settings.model_copy(update={"api_docs": True})  # the demo shows /docs
    password = os.environ.get(DEMO_PASSWORD_ENV) or secrets.token_urlsafe(9)
    try:
        tokens = prepare_demo(settings, password)
    except NotADemoDatabaseError:
        return _fail(
            f"{settings.db_url} was not created by the demo: it holds another office's users "
            "or branches. The demo resets passwords and adds a sample office, so it refuses "
            "this database; give --db a new file (or none, for the demo's own)."
        )
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
    qr_url = public_url(settings)
    print(f"  QR codes:  {qr_url or url}   (the address phones use; COUNTER_APP_PUBLIC_URL)")
    if qr_url and settings.host in ("127.0.0.1", "localhost"):
        print("             phones reach it only if the server listens on the LAN: --host 0.0.0.0")
    if not args.headless and not has_screen():
        print("  windows:   none — no screen found (no DISPLAY); running the server alone")
    elif not args.headless:
        print(
            "  windows:   the counter window (petugas1 at Loket 1), the TV display, the kiosk,"
            " Loket 1's survey screen and the supervisor board"
        )
        sys.stdout.flush()
        return _demo_with_windows(
            settings, password, tokens.get(DEMO_DISPLAY), tokens.get(DEMO_KIOSK), qr_url
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
    settings: Settings,
    password: str,
    display_token: str | None,
    kiosk_token: str | None,
    qr_url: str | None = None,
) -> int:
    """Qt owns the main thread of a windowed process: the server runs in a thread beside it."""
    from counter_app.server.app import create_app
    from counter_app.server.background import BackgroundServer
    from counter_app.views.demo import run_demo_window

    app = create_app(settings)
    with BackgroundServer(app, settings.host, settings.port, settings.log_level) as server:
        return run_demo_window(server.url, password, display_token, kiosk_token, qr_url)


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


def add_server_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    server = with_db(sub.add_parser("server", help="run the server"))
    server.add_argument(
        "--host", help="address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)"
    )
    server.add_argument("--port", type=int, help="port (default 8750)")
    server.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL only)")
    server.add_argument("--ssl-certfile", help="HTTPS: the certificate (PEM, with its chain)")
    server.add_argument("--ssl-keyfile", help="HTTPS: the certificate's private key (PEM)")
    server.add_argument(
        "--tls",
        choices=("off", "self-signed"),
        help="self-signed: HTTPS with a certificate the server makes itself (stations pin it)",
    )
    server.add_argument(
        "--simulation-clock",
        action="store_true",
        help="run on a simulation clock (only with --db naming a *.sim.sqlite3 or *_sim database)",
    )
    server.add_argument("--sim-start", help="the simulation clock's start, ISO with a time zone")
    server.add_argument(
        "--sim-speed", type=float, help="simulated seconds per real second (default 1; 0 stands)"
    )
    server.set_defaults(func=cmd_server)
    return server


def add_tls_commands(sub: Any) -> None:
    tls = sub.add_parser("tls", help="HTTPS certificates: make one, show a fingerprint, unpin")
    tls_sub = tls.add_subparsers(dest="tls_command", required=True)
    make_cert = tls_sub.add_parser("make-cert", help="make the server's self-signed certificate")
    make_cert.add_argument("--dir", help="where (default: the data directory's tls folder)")
    make_cert.add_argument(
        "--name", action="append", default=[], help="another host name it is reached by"
    )
    make_cert.set_defaults(func=cmd_tls_make_cert)
    fingerprint = tls_sub.add_parser("fingerprint", help="a certificate file's SHA-256")
    fingerprint.add_argument("certfile")
    fingerprint.set_defaults(func=cmd_tls_fingerprint)
    forget = tls_sub.add_parser(
        "forget", help="on a station: forget a server's pinned certificate (after a renewal)"
    )
    forget.add_argument("address", help="the server's host:port, e.g. 192.168.1.10:8750")
    forget.set_defaults(func=cmd_tls_forget)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app", description="Queue-calling system for public-service offices."
    )
    parser.add_argument("--version", action="version", version=f"counter-app {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="database URL: sqlite:///path or postgresql://user@host/db")
        return p

    add_hub_command(sub, add_server_command(sub, with_db))

    add_tls_commands(sub)

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
    add_simulate_command(sub)

    for add_commands in (
        add_privacy_commands,
        add_device_commands,
        add_training_command,
        add_user_commands,
        add_backup_commands,
        add_bookings_commands,
    ):
        add_commands(sub, with_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    with gc_policy.collected_apart():  # the parser's cycles, not left to the server's start
        args = build_parser().parse_args(argv)
    if not (args.command == "server" and args.workers == 1):
        # Off while `python -m counter_app` loaded the modules; a server in one process
        # switches it back on once started (server/gc_policy.py).
        gc_policy.resume()
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
        if missing in EXTRA_MISSING:
            return _fail(EXTRA_MISSING[missing])
        if missing not in STATION_MODULES:
            raise
        # A server-only install (`pip install counter-app`) has no Qt, audio or printer
        # libraries; the windows say so instead of a traceback.
        return _fail(
            f"the {args.command} window needs the station libraries ({exc.name} is missing): "
            "pip install 'counter-app[stations]'"
        )
    except Exception as exc:
        # A database from a newer version: refused before anything changed. (Looked up
        # here, not imported: the windows' commands never load the migrations.)
        migrate = sys.modules.get("counter_app.store.migrate")
        if migrate is not None and isinstance(exc, migrate.NewerSchemaError):
            return _fail(str(exc))
        raise
    return result


if __name__ == "__main__":
    raise SystemExit(main())
