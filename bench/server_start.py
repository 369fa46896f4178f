"""Server start and idle memory: ``counter-app server`` as a subprocess on an existing
database (the office already set up and migrated), the time until /api/v1/health first
answers, then its resident memory (VmRSS) after 5 s idle.
Budgets (docs/PERFORMANCE.md): first answer <= 1 s after start, idle <= 80 MiB.

python -m bench.server_start --db sqlite --runs 3
python -m bench.server_start --db sqlite --runs 4 --alternate MALLOC_ARENA_MAX=2

``--alternate NAME=VALUE``: every other start has that environment variable set (interleaved,
so that a change in the machine's load affects both alike); ``--alternate-tree DIR``: every
other start runs the server from another source tree (e.g. an earlier commit exported with
``git archive``).

An installed server has its bytecode (pip compiles the package), so the package's modules
are compiled first here; with PYTHONDONTWRITEBYTECODE set (as in some CI set-ups) a source
checkout would otherwise compile all of them again at every start (``--no-compile``
measures that).
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench.backup_restore import set_up_office
from bench.harness import database, free_port, machine

IDLE_SECONDS = 5.0


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used (less affected by a busy machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(
    db_url: str, extra_env: dict[str, str] | None = None, cwd: str | None = None
) -> tuple[float, float, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/v1/health"
    env = {**os.environ, "COUNTER_APP_LOG_LEVEL": "warning", **(extra_env or {})}
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "counter_app", "server", "--db", db_url, "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        started = time.perf_counter() - began
        cpu = cpu_seconds(proc.pid)
        time.sleep(IDLE_SECONDS)
        return started, cpu, rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--alternate", metavar="NAME=VALUE", help="set on every other start")
    parser.add_argument("--alternate-tree", metavar="DIR", help="every other start from DIR")
    parser.add_argument("--no-compile", action="store_true", help="leave bytecode as it is")
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    variants: list[tuple[str, dict[str, str], str]] = [("this tree", {}, here)]
    if args.alternate:
        name, _, value = args.alternate.partition("=")
        variants.append((args.alternate, {name: value}, here))
    if args.alternate_tree:
        variants.append((Path(args.alternate_tree).name, {}, args.alternate_tree))
    if not args.no_compile:
        for _, _, tree in variants:
            compileall.compile_dir(str(Path(tree) / "counter_app"), quiet=1)
    print(f"machine: {machine()}")
    results: dict[str, list[tuple[float, float, float]]] = {label: [] for label, *_ in variants}
    with database(args.db) as db_url:
        set_up_office(db_url)
        for _ in range(args.runs):
            for label, extra, tree in variants:
                load = Path("/proc/loadavg").read_text().split()[0]
                started, cpu, rss = one_start(db_url, extra, tree)
                results[label].append((started, cpu, rss))
                print(
                    f"{label:>20}: first answer after {started:.2f} s ({cpu:.2f} s CPU)   "
                    f"idle RSS {rss:.1f} MiB   load {load}",
                    flush=True,
                )
    print(f"load: {Path('/proc/loadavg').read_text().strip()}")
    for label, runs in results.items():
        print(
            f"{label:>20}: best {min(r[0] for r in runs):.2f} s, "
            f"{min(r[1] for r in runs):.2f} s CPU (budget 1 s), "
            f"RSS {min(r[2] for r in runs):.1f}–{max(r[2] for r in runs):.1f} MiB "
            "(budget 80 MiB)"
        )


if __name__ == "__main__":
    main()
