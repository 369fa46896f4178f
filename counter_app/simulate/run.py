"""``counter-app simulate``: run a study against a server (``--server``) or a throw-away one."""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from counter_app import __version__
from counter_app.client.api import API, ApiClient
from counter_app.client.errors import ApiError, ClientError
from counter_app.core.vocabulary import DeviceKind
from counter_app.schemas.auth import DeviceCreate
from counter_app.schemas.simulation import SimClockOut
from counter_app.simulate.engine import DayPlayer, count_requests
from counter_app.simulate.local_server import ServerStartError, local_server
from counter_app.simulate.metrics import build_report, summary_lines
from counter_app.simulate.office import ServerOffice, find_office
from counter_app.simulate.profile import LoadedProfile, ProfileError, load_profile
from counter_app.simulate.records import RunRecord

DEFAULT_START = date(2026, 3, 2)  # a Monday; any date works on a fresh database
PASSWORD_ENV = "COUNTER_APP_SIM_PASSWORD"


class SimulationError(Exception):
    """The study cannot run; the message says why (no traceback for the user)."""


@dataclass(frozen=True)
class Options:
    profile: str
    days: int = 1
    hours: float | None = None
    start: date | None = None
    seed: int | None = None
    pace: float | None = None
    report: Path | None = None
    server: str | None = None
    admin: str = "admin"
    password_env: str = PASSWORD_ENV
    keep_db: Path | None = None
    # Only issue the walk-ins, in real time; people call (simulate.citizens).
    citizens_only: bool = False
    training: bool = False


def working_days(first: date, count: int) -> list[date]:
    """``count`` weekdays (Monday–Friday) from ``first`` on."""
    found: list[date] = []
    day = first
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def simulate(options: Options) -> dict[str, Any]:
    """Run the study; returns the report (also written to ``options.report``)."""
    if options.days < 1:
        raise SimulationError("--days must be at least 1")
    if options.hours is not None and options.hours <= 0:
        raise SimulationError("--hours must be more than 0")
    try:
        loaded = load_profile(options.profile)
    except ProfileError as exc:
        raise SimulationError(str(exc)) from None
    if options.seed is not None:
        loaded = loaded.model_copy(
            update={"profile": loaded.profile.model_copy(update={"seed": options.seed})}
        )
    if options.training and not options.citizens_only:
        raise SimulationError("--training goes with --citizens-only (a trainee at a counter)")
    if options.citizens_only:
        return _citizens_only(options, loaded)
    try:
        if options.server:
            password = os.environ.get(options.password_env)
            if not password:
                raise SimulationError(
                    f"set {options.password_env} to the password of {options.admin!r} and of "
                    "the office file's officers"
                )
            report = play(options.server, loaded, options.admin, password, options, None)
        else:
            first = options.start or DEFAULT_START
            zone = ZoneInfo(_branch_timezone(loaded))
            start = datetime.combine(first, datetime.min.time(), zone).astimezone(UTC)
            with local_server(loaded, start, keep_dir=options.keep_db) as server:
                report = play(server.url, loaded, server.admin, server.password, options, first)
    except (ProfileError, ServerStartError) as exc:
        raise SimulationError(str(exc)) from None
    except ClientError as exc:
        raise SimulationError(f"the server refused or failed: {exc}") from None
    if options.report is not None:
        options.report.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return report


def _citizens_only(options: Options, loaded: LoadedProfile) -> dict[str, Any]:
    from counter_app.simulate.citizens import play_citizens

    if not options.server:
        raise SimulationError("--citizens-only needs --server (a real server people work on)")
    password = os.environ.get(options.password_env)
    if not password:
        raise SimulationError(f"set {options.password_env} to the password of {options.admin!r}")
    record = RunRecord()
    admin = ApiClient(options.server, timeout=(3.05, 60))
    try:
        admin.login(options.admin, password)

        def kiosk_for(admin: ApiClient, branch_id: int) -> ApiClient:
            office = find_office(admin, loaded)
            return _kiosk(options.server or "", admin, office, record)

        report = play_citizens(
            kiosk_for,
            admin,
            loaded,
            hours=options.hours,
            training=options.training,
            pace=options.pace or 1.0,
        )
        admin.logout()
    except ProfileError as exc:
        raise SimulationError(str(exc)) from None
    except ClientError as exc:
        raise SimulationError(f"the server refused or failed: {exc}") from None
    finally:
        admin.close()
    if options.report is not None:
        options.report.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return report


def _branch_timezone(loaded: LoadedProfile) -> str:
    branch = next(b for b in loaded.office.branches if b.code == loaded.profile.branch)
    return branch.timezone


def _first_day(clock: datetime, loaded: LoadedProfile, timezone: str, wanted: date | None) -> date:
    """The first day whose opening (less the booking lead) is still ahead of the clock."""
    zone = ZoneInfo(timezone)
    day = max(wanted or clock.astimezone(zone).date(), clock.astimezone(zone).date())
    while datetime.combine(day, loaded.profile.open, zone) - timedelta(hours=1) < clock:
        day += timedelta(days=1)
    return day


def play(
    url: str,
    loaded: LoadedProfile,
    admin_name: str,
    password: str,
    options: Options,
    first: date | None,
) -> dict[str, Any]:
    record = RunRecord()
    began = time.monotonic()
    admin = ApiClient(url, timeout=(3.05, 60))
    count_requests(admin, record)
    health = admin.health()
    if not health.simulation:
        raise SimulationError(
            f"the server at {url} is not on a simulation clock; start it with "
            "`counter-app server --simulation-clock --db <a simulation database>` "
            "(docs/SIMULATOR.md)"
        )
    admin.login(admin_name, password)
    clock = SimClockOut.model_validate_json(
        admin.request("POST", f"{API}/sim/clock", json={"speed": 0}).content
    )
    office = find_office(admin, loaded)
    kiosk = _kiosk(url, admin, office, record)
    days = working_days(
        _first_day(clock.at, loaded, office.timezone, first or options.start), options.days
    )

    def officer_login(number: int) -> ApiClient:
        client = ApiClient(url, timeout=(3.05, 60))
        count_requests(client, record)
        client.login(office.officers[number], password)
        return client

    def admin_login() -> None:
        admin.login(admin_name, password)

    for index, day in enumerate(days):
        DayPlayer(
            loaded,
            office,
            admin,
            kiosk,
            officer_login,
            admin_login,
            record,
            day=day,
            day_index=index,
            hours=options.hours,
            pace=options.pace,
            nik_serial=index * 5000,
        ).play()
        record.days.append(day)
    server_report = _server_report(admin, office, days)
    admin.logout()
    run = {
        "profile": loaded.profile.name,
        "profile_source": loaded.source,
        "seed": loaded.profile.seed,
        "days": len(days),
        "first_day": days[0].isoformat(),
        "last_day": days[-1].isoformat(),
        "hours": options.hours or loaded.profile.open_hours,
        "server": url,
        "server_version": health.version,
        "database": health.database,
        "counter_app": __version__,
        "wall_seconds": round(time.monotonic() - began, 2),
        "requests": record.requests,
    }
    report = build_report(record, run)
    report["server_report"] = server_report
    return report


def _kiosk(url: str, admin: ApiClient, office: ServerOffice, record: RunRecord) -> ApiClient:
    """A kiosk device of the branch, made for this run (device tokens are shown only once)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)
    created = admin.create_device(
        DeviceCreate(branch_id=office.branch_id, kind=DeviceKind.KIOSK, name=f"Kiosk sim {stamp}")
    )
    kiosk = ApiClient(url, token=created.token, timeout=(3.05, 60))
    count_requests(kiosk, record)
    return kiosk


def _server_report(admin: ApiClient, office: ServerOffice, days: list[date]) -> dict[str, Any]:
    """The server's own figures for the simulated days (its reports read the journal)."""
    try:
        summary = admin.report_summary(office.branch_id, days[0], days[-1])
    except ApiError as exc:
        return {"error": exc.code, "message": exc.message}
    total = summary.total
    return {
        "issued": total.issued,
        "served": total.served,
        "no_show": total.no_show,
        "transferred": total.transferred,
        "expired": total.expired,
        "called": total.called,
        "mean_wait_minutes": None
        if total.mean_wait_seconds is None
        else round(total.mean_wait_seconds / 60, 2),
        "p90_wait_minutes": None
        if total.p90_wait_seconds is None
        else round(total.p90_wait_seconds / 60, 2),
        "mean_service_minutes": None
        if total.mean_service_seconds is None
        else round(total.mean_service_seconds / 60, 2),
    }


def print_summary(report: dict[str, Any]) -> None:
    for line in summary_lines(report):
        print(line)
