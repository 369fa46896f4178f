"""Staffing advice against the simulator (docs/REPORTS.md, "Staffing advice").

1. Plays the profile's day with its stock counters, asks the server's own ``staffing_advice``
   for that weekday from the journal it left, and compares, per service-hour with arrivals,
   the model's verdict for the counters that were open (mean wait within target or not) with
   the simulated mean wait of the citizens who joined the queue in that hour.
2. With ``--recommended``: plays the same day again with the *recommended* counters: each
   service gets as many dedicated counters as its busiest hour needs, and a counter not
   needed in an hour takes a break for it (the simulator's breaks start when the counter is
   free). Prints the share of service-hours whose simulated mean wait met the target
   (budget ≥ 90 %).

    python -m bench.staffing_check --profile puskesmas --recommended
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.harness import machine
from counter_app.config import Settings
from counter_app.core.vocabulary import Role
from counter_app.schemas.office_file import CounterEntry, UserEntry
from counter_app.schemas.staffing import StaffingAdvice
from counter_app.server.app import open_database
from counter_app.simulate.local_server import local_server
from counter_app.simulate.profile import Break, LoadedProfile, load_profile
from counter_app.simulate.run import Options, play, simulate
from counter_app.store.models import Branch, Service, Ticket
from counter_app.store.staffing import staffing_advice

Waits = dict[tuple[int, int], list[float]]


def read_day(folder: Path, day: date) -> tuple[StaffingAdvice, dict[int, int], Waits]:
    """The staffing advice, the targets (seconds, by service id) and the simulated waits
    (by service id and hour joined) of the day played into ``folder``'s database."""
    db = open_database(Settings(db_url=f"sqlite:///{folder / 'office.sim.sqlite3'}"))
    try:
        with db.read() as session:
            branch = session.scalars(select(Branch)).one()
            zone = ZoneInfo(branch.timezone)
            now = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
            advice = staffing_advice(
                session, branch.id, now.astimezone(UTC), weekday=day.weekday(), weeks=1
            )
            targets = {s.id: s.target_wait_minutes * 60 for s in session.scalars(select(Service))}
            waits: dict[tuple[int, int], list[float]] = defaultdict(list)
            for service_id, enqueued, called in session.execute(
                select(Ticket.service_id, Ticket.enqueued_at, Ticket.called_at).where(
                    Ticket.called_at.is_not(None), Ticket.training.is_(False)
                )
            ):
                hour = enqueued.astimezone(zone).hour
                waits[(service_id, hour)].append((called - enqueued).total_seconds())
    finally:
        db.dispose()
    return advice, targets, waits


def play_recommended(
    loaded: LoadedProfile, advice: StaffingAdvice, day: date, folder: Path, seed: int
) -> None:
    """Play ``day`` with the recommended counters per hour (see the module's doc)."""
    profile = loaded.profile
    branch = loaded.office.branches[0]
    open_hour, close_hour = profile.open.hour, profile.close.hour
    counters: list[CounterEntry] = []
    users: list[UserEntry] = [u for u in branch.users if u.role is not Role.OFFICER]
    breaks: list[Break] = []
    for service in advice.services:
        needed = {h.hour: h.recommended_counters for h in service.hours}
        top = max([1, *needed.values()])
        for index in range(top):
            number = len(counters) + 1
            counters.append(
                CounterEntry(
                    number=number, name=f"{service.prefix} {index + 1}", services=[service.prefix]
                )
            )
            users.append(
                UserEntry(
                    username=f"sim-check-{number}",
                    password_env="COUNTER_APP_SIM_PASSWORD",
                    counters=[number],
                )
            )
            # Merge the hours this counter is not needed into breaks.
            idle_from: int | None = None
            for hour in range(open_hour, close_hour + 1):
                idle = hour < close_hour and needed.get(hour, 0) <= index
                if idle and idle_from is None:
                    idle_from = hour
                if not idle and idle_from is not None:
                    start = max(time(idle_from), profile.open)
                    minutes = (hour - idle_from) * 60 - (
                        start.minute if idle_from == open_hour else 0
                    )
                    if minutes > 0:
                        breaks.append(Break(counter=number, at=start, minutes=minutes))
                    idle_from = None
    office = loaded.office.model_copy(
        update={"branches": [branch.model_copy(update={"counters": counters, "users": users})]}
    )
    changed = loaded.model_copy(
        update={
            "office": office,
            "profile": profile.model_copy(update={"breaks": breaks, "seed": seed}),
        }
    )
    zone = ZoneInfo(branch.timezone)
    start = datetime.combine(day, time(), zone).astimezone(UTC)
    with local_server(changed, start, keep_dir=folder) as server:
        play(server.url, changed, server.admin, server.password, Options(profile="x"), day)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="puskesmas")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recommended", action="store_true")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        report = simulate(
            Options(profile=args.profile, days=1, seed=args.seed, keep_db=Path(folder))
        )
        day = datetime.fromisoformat(report["run"]["first_day"]).date()
        advice, targets, waits = read_day(Path(folder), day)
    compare(args.profile, day, advice, targets, waits)
    if args.recommended:
        with tempfile.TemporaryDirectory() as folder:
            play_recommended(load_profile(args.profile), advice, day, Path(folder), args.seed)
            _advice, _targets, simulated = read_day(Path(folder), day)
        met = total = 0
        print("with the recommended counters: svc hour counters sim_wait_min target_min met")
        by_prefix = {s.service_id: s.prefix for s in advice.services}
        recommended = {
            (s.service_id, h.hour): h.recommended_counters for s in advice.services for h in s.hours
        }
        for (service_id, hour), found in sorted(simulated.items()):
            if (service_id, hour) not in recommended:
                continue
            mean = sum(found) / len(found)
            ok = mean <= targets[service_id]
            total += 1
            met += ok
            print(
                f"{by_prefix[service_id]:>3} {hour:02d} {recommended[(service_id, hour)]:3d} "
                f"{mean / 60:8.1f} {targets[service_id] / 60:6.0f} {'yes' if ok else 'no'}"
            )
        share = met / total if total else 0.0
        print(f"service-hours meeting the target with the advice: {met}/{total} = {share:.0%}")


def compare(
    profile: str, day: date, advice: StaffingAdvice, targets: dict[int, int], waits: Waits
) -> None:
    agree = total = 0
    print(f"profile {profile}, {day}, stock counters; per service-hour with arrivals:")
    print("svc hour arrivals/h open advised model_wait_min sim_wait_min target_min agree")
    for service in advice.services:
        target = targets[service.service_id]
        for hour in service.hours:
            sim = waits.get((service.service_id, hour.hour))
            if not hour.arrivals_per_hour or not sim:
                continue
            simulated = sum(sim) / len(sim)
            model = hour.expected_wait_current_seconds
            model_ok = model is not None and model <= target
            same = model_ok == (simulated <= target)
            total += 1
            agree += same
            model_text = "inf" if model is None else f"{model / 60:.1f}"
            print(
                f"{service.prefix:>3} {hour.hour:02d}   {hour.arrivals_per_hour:6.1f} "
                f"{hour.current_counters:4.1f} {hour.recommended_counters:7d} {model_text:>14} "
                f"{simulated / 60:12.1f} {target / 60:10.0f} {'yes' if same else 'no'}"
            )
    share = agree / total if total else 0.0
    print(f"model and simulation agree on meeting the target in {agree}/{total} = {share:.0%}")


if __name__ == "__main__":
    main()
