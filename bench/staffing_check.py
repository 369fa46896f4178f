"""Staffing advice against the simulator (docs/REPORTS.md, "Staffing advice").

PARTIAL CHECK. The full check asked for — play a day with the *recommended* counters per hour
and count the service-hours whose simulated wait met the target (budget ≥ 90 %) — needs the
simulator to vary counters by hour, which it cannot yet. This bench does the half that runs
today: it plays the profile's day with its stock counters, asks the server's own
``staffing_advice`` for that weekday from the journal it left, and compares, per service-hour
with arrivals, the model's verdict for the counters that were open (mean wait within target
or not) with the simulated mean wait of the citizens who arrived in that hour.

    python -m bench.staffing_check --profile puskesmas
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.harness import machine
from counter_app.config import Settings
from counter_app.server.app import open_database
from counter_app.simulate.run import Options, simulate
from counter_app.store.models import Branch, Service, Ticket
from counter_app.store.staffing import staffing_advice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="puskesmas")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = simulate(
            Options(profile=args.profile, days=1, seed=args.seed, keep_db=Path(folder))
        )
        day = datetime.fromisoformat(report["run"]["first_day"]).date()
        db = open_database(Settings(db_url=f"sqlite:///{Path(folder) / 'office.sim.sqlite3'}"))
        try:
            with db.read() as session:
                branch = session.scalars(select(Branch)).one()
                zone = ZoneInfo(branch.timezone)
                now = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
                advice = staffing_advice(
                    session, branch.id, now.astimezone(UTC), weekday=day.weekday(), weeks=1
                )
                targets = {
                    s.id: s.target_wait_minutes * 60 for s in session.scalars(select(Service))
                }
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
    agree = total = 0
    print(machine())
    print(f"profile {args.profile}, {day}, stock counters; per service-hour with arrivals:")
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
