"""How long does a simulated office day take? Budget: an 8-hour day with 4 counters and about
400 tickets, played against a real server process, in 60 s or less.

Runs ``counter-app simulate`` in-process against its own throw-away server (a separate
process on a fresh SQLite simulation database, as a user's one-command study does) and
reports the wall time of the day alone and of the whole command (server start included).

    python -m bench.simulated_day --profile dukcapil --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import machine
from counter_app.simulate.run import Options, simulate

BUDGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="dukcapil")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    days: list[float] = []
    totals: list[float] = []
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            began = time.monotonic()
            report = simulate(
                Options(
                    profile=args.profile,
                    seed=args.seed,
                    report=Path(folder) / f"report-{run}.json",
                )
            )
            totals.append(time.monotonic() - began)
            info = report["run"]
            assert isinstance(info, dict)
            days.append(float(info["wall_seconds"]))
    tickets = report["tickets"]
    assert isinstance(tickets, dict)
    counters = report["counters"]
    assert isinstance(counters, dict)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(
        f"profile {args.profile}, seed {args.seed}: {tickets['issued']} tickets, "
        f"{len(counters['each'])} counters, {report['run']['requests']} requests a day"  # type: ignore[index]
    )
    each = ", ".join(f"{d:.1f}" for d in days)
    print(
        f"day: median {statistics.median(days):.1f} s (runs {each}); "
        f"whole command: median {statistics.median(totals):.1f} s; budget {BUDGET_SECONDS:.0f} s: "
        f"{'met' if max(totals) <= BUDGET_SECONDS else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
