"""Resident memory of the counter app over a long run of calls (budget: ≤ 150 MB, not growing).

The real counter window (petugas1 at Loket 1) works against a real server process as fast as
it can: press Call next, wait until the ticket is shown, press Finish, wait until it is gone;
the kiosk keeps the queue filled between batches, so every call also brings the window the
stream's events (issued, called, finished) and a refresh of today's figures. A busy counter
makes 15–25 calls an hour, so a few thousand calls stand for many days of work. RSS is read
from /proc (Linux) after a warm-up and then every ``--every`` calls.

    python -m bench.counter_memory --calls 5000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import requests

from bench.counter_common import (
    counter_window,
    demo_server,
    machine,
    rss_mb,
    today,
    wait,
)
from counter_app.views.counter.controller import Action
from counter_app.views.counter.window import CounterWindow

BUDGET_MB = 150.0
BATCH = 100
WARM_UP = 200


def fill_queue(url: str, kiosk_token: str, service_id: int, count: int) -> None:
    with requests.Session() as kiosk:
        kiosk.headers["Authorization"] = f"Bearer {kiosk_token}"
        for _ in range(count):
            r = kiosk.post(f"{url}/api/v1/tickets", json={"service_id": service_id}, timeout=10)
            r.raise_for_status()


def serve_one(window: CounterWindow) -> None:
    controller = window.controller
    window.buttons[Action.CALL_NEXT].click()
    wait(lambda: controller.can(Action.FINISH))
    window.buttons[Action.FINISH].click()
    wait(lambda: not controller.busy and controller.current is None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args()
    samples: list[tuple[int, float]] = []
    began = time.monotonic()
    with demo_server() as server, tempfile.TemporaryDirectory() as scratch:
        _app, window = counter_window(server.url, Path(scratch))
        board = window.controller.board
        assert board is not None
        counter = window.controller.counter
        assert counter is not None
        service_id = counter.service_ids[0]
        samples.append((0, rss_mb()))
        for done in range(args.calls):
            if done % BATCH == 0:
                fill_queue(server.url, server.kiosk_token, service_id, BATCH)
                wait(lambda: len(window.controller.waiting()) >= BATCH)
            serve_one(window)
            calls = done + 1
            if calls == WARM_UP or (calls > WARM_UP and calls % args.every == 0):
                samples.append((calls, rss_mb()))
        wait(
            lambda: (
                window.controller.today is not None and window.controller.today.served == args.calls
            )
        )
        served = window.controller.today.served if window.controller.today else 0
        window.shut_down()
    elapsed = time.monotonic() - began
    after_warm = [mb for calls, mb in samples if calls >= WARM_UP]
    half = len(after_warm) // 2
    growth = max(after_warm[half:]) - max(after_warm[: half or 1])
    print(f"## counter memory over {args.calls} calls ({today()})")
    print(f"machine: {machine()}")
    print(f"calls: {args.calls} in {elapsed:.0f} s; today's figures say {served} served")
    print("RSS (MiB) by calls: " + ", ".join(f"{c}: {mb:.1f}" for c, mb in samples))
    peak = max(mb for _, mb in samples)
    verdict = "met" if peak <= BUDGET_MB else "MISSED"
    print(
        f"start {samples[0][1]:.1f} MiB, after warm-up {after_warm[0]:.1f}, "
        f"end {samples[-1][1]:.1f}, peak {peak:.1f}; second-half peak minus first-half peak "
        f"{growth:+.1f} MiB (budget {BUDGET_MB:.0f} MB: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
