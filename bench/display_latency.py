"""The TV display: event → number on screen, event → chime, phrase rendering, and memory.

Budgets (issue: TV display): event received → number on screen ≤ 100 ms; → audio starts
≤ 300 ms for a cached phrase and ≤ 600 ms for a new one; 5,000 simulated calls with resident
memory growth ≤ 10 %.

The real display station (window, board feed, announcer) runs offscreen against
``counter-app demo --headless`` in its own process; an officer calls tickets through the API.

* *received → shown*: from the moment the event stream's thread hands the event over (a
  direct-connected slot, on that thread) to the moment the window has drawn it (a slot
  connected after the station's own, on the Qt thread; then ``repaint()``, synchronous).
* *received → audio starts*: to ``chime_started`` (QSoundEffect.play() called): the hall
  hears something at once, whatever the phrase.
* *received → speech ready*: to ``speech_ready`` (the phrase rendered *and* checked, back on
  the Qt thread), for a new phrase (a fresh ticket; the station's speech cache starts empty)
  and for a cached one (the same ticket recalled). This is the budget's "audio starts" for
  the speech itself: it is rendered while the chime plays, and speech follows the 2.25 s
  chime, so *silence added* = how far the speech was ready after the chime's end (0 when
  rendered within the chime). With no sound device (offscreen, no PulseAudio) the chime ends
  at once, so the timings are the render's own, not the chime's length.
* memory: 5,000 calls (issue, call, finish) with announcing off (a real hall cannot say 5,000
  calls back to back; the announcer's queue is bounded by the hall's pace), RSS after a
  warm-up and at the end.

    python -m bench.display_latency --calls 200 --memory-calls 5000
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import requests
from PySide6.QtCore import QSettings, Qt  # noqa: TID251 (a window's benchmark)

from bench.counter_common import (
    PASSWORD,
    demo_server,
    machine,
    percentile,
    rss_mb,
    today,
    wait,
)
from counter_app.audio.speech import SpeechRenderer
from counter_app.core.vocabulary import EventKind
from counter_app.schemas.tickets import EventOut
from counter_app.views.app import ensure_app
from counter_app.views.display.run import OpenDisplay, open_display
from counter_app.views.display.settings import DisplaySettings
from counter_app.views.settings import AppSettings

MEMORY_BUDGET = 0.10
WARM_UP = 500
CHIME_SECONDS = 2.25


class Officer:
    def __init__(self, url: str, kiosk_token: str) -> None:
        self.url = f"{url}/api/v1"
        self.kiosk = requests.Session()
        self.kiosk.headers["Authorization"] = f"Bearer {kiosk_token}"
        self.me = requests.Session()
        token = self.me.post(
            f"{self.url}/auth/login", json={"username": "petugas1", "password": PASSWORD}
        ).json()["token"]
        self.me.headers["Authorization"] = f"Bearer {token}"
        counters = self.me.get(f"{self.url}/branches/1/counters").json()
        loket = next(c for c in counters if c["number"] == 1)
        self.counter_id = int(loket["id"])
        self.service_id = int(loket["service_ids"][0])
        self.me.post(f"{self.url}/counters/{self.counter_id}/state", json={"state": "open"})

    def call_one(self) -> dict[str, object]:
        self.kiosk.post(
            f"{self.url}/tickets", json={"service_id": self.service_id}
        ).raise_for_status()
        r = self.me.post(f"{self.url}/counters/{self.counter_id}/call-next")
        r.raise_for_status()
        ticket: dict[str, object] = r.json()["ticket"]
        return ticket

    def recall(self, ticket_id: object) -> None:
        self.me.post(f"{self.url}/tickets/{ticket_id}/recall").raise_for_status()

    def finish(self, ticket_id: object) -> None:
        self.me.post(f"{self.url}/tickets/{ticket_id}/finish").raise_for_status()


def open_tv(url: str, token: str, scratch: Path, *, announce: bool) -> OpenDisplay:
    qt = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    ensure_app(AppSettings(qt))
    settings = DisplaySettings(qt)
    shown = open_display(url, token, settings, announce=announce, windowed=True)
    wait(lambda: shown.station.feed is not None and shown.station.feed.board is not None)
    return shown


def measure_screen_and_chime(
    shown: OpenDisplay, officer: Officer, calls: int
) -> tuple[list[float], list[float]]:
    feed = shown.station.feed
    assert feed is not None
    received: dict[int, float] = {}
    on_screen: list[float] = []
    to_chime: list[float] = []
    last_received = [0.0]

    def stream_thread(event: EventOut) -> None:  # on the listener's thread
        if event.kind == EventKind.TICKET_CALLED:
            received[event.seq] = time.perf_counter()
            last_received[0] = received[event.seq]

    def drawn(event: EventOut) -> None:  # on the Qt thread, after the station's own slot
        if event.seq in received:
            shown.window.repaint()
            on_screen.append(time.perf_counter() - received.pop(event.seq))

    feed.live.event_received.connect(stream_thread, Qt.ConnectionType.DirectConnection)
    feed.live.event_received.connect(drawn)
    player = shown.station.player
    if player is not None:
        player.chime_started.connect(
            lambda _a: to_chime.append(time.perf_counter() - last_received[0])
        )
    for _ in range(calls):
        ticket = call_and_show(shown, officer)
        if player is not None:
            wait(lambda: player.current is None and not len(player.queue), timeout=60)
        officer.finish(ticket["id"])
    return on_screen, to_chime


def call_and_show(shown: OpenDisplay, officer: Officer) -> dict[str, object]:
    """Call the next ticket and wait until the TV shows it."""
    ticket = officer.call_one()
    wait(lambda: shown.window.call.number.text() == ticket["number"])
    return ticket


class Spoken:
    """Per announcement: received → audio starts, → speech ready; new and cached phrases."""

    def __init__(self) -> None:
        self.to_chime: list[float] = []
        self.ready: dict[str, list[float]] = {"new": [], "cached": []}
        self.silence: dict[str, list[float]] = {"new": [], "cached": []}


def wait_for_voice(shown: OpenDisplay) -> float:
    """Seconds from here until the station's speech engine is ready (it starts with the TV).

    Calls are measured after that: the first call of a TV switched on a moment before would
    otherwise also wait for the engine process to start (seconds, on a busy machine)."""
    player = shown.station.player
    assert player is not None and player.renderer is not None
    renderer = player.renderer
    began = time.perf_counter()
    wait(lambda: renderer.voice is not None or renderer.voice_error is not None, timeout=60)
    if renderer.voice is None:
        raise SystemExit(f"no voice: {renderer.voice_error}")
    return time.perf_counter() - began


def measure_spoken(shown: OpenDisplay, officer: Officer, calls: int) -> Spoken:
    """Each call is announced (a new phrase), then recalled (the same phrase, cached)."""
    feed, player = shown.station.feed, shown.station.player
    assert feed is not None and player is not None
    spoken = Spoken()
    received = [0.0]
    chimed = [0.0]
    kind = ["new"]
    said = [0]

    def stream_thread(event: EventOut) -> None:  # on the listener's thread
        if event.kind in (EventKind.TICKET_CALLED, EventKind.TICKET_RECALLED):
            received[0] = time.perf_counter()

    def chime(_a: object) -> None:
        chimed[0] = time.perf_counter()
        spoken.to_chime.append(chimed[0] - received[0])

    def ready(_a: object) -> None:
        now = time.perf_counter()
        spoken.ready[kind[0]].append(now - received[0])
        spoken.silence[kind[0]].append(max(0.0, now - chimed[0] - CHIME_SECONDS))

    def finished(_a: object) -> None:
        said[0] += 1

    feed.live.event_received.connect(stream_thread, Qt.ConnectionType.DirectConnection)
    player.chime_started.connect(chime)
    player.speech_ready.connect(ready)
    player.finished.connect(finished)
    for _ in range(calls):
        kind[0] = "new"
        goal = said[0] + 1
        ticket = call_and_show(shown, officer)
        wait(lambda: said[0] >= goal, timeout=60)  # noqa: B023 (waited for here)
        kind[0] = "cached"
        officer.recall(ticket["id"])
        wait(lambda: said[0] >= goal + 1, timeout=60)  # noqa: B023 (waited for here)
        officer.finish(ticket["id"])
    return spoken


def measure_render(cache: Path, phrases: int) -> tuple[list[float], list[float]]:
    renderer = SpeechRenderer(cache)
    if not renderer.start():
        raise SystemExit(f"no voice: {renderer.voice_error}")
    new, cached = [], []
    for n in range(phrases):
        text = f"Nomor antrean A {n + 100}, silakan menuju loket {n % 20 + 1}."
        began = time.perf_counter()
        renderer.render(text)
        new.append(time.perf_counter() - began)
        began = time.perf_counter()
        renderer.render(text)
        cached.append(time.perf_counter() - began)
    renderer.close()
    return new, cached


def measure_memory(
    shown: OpenDisplay, officer: Officer, calls: int, warm_up: int
) -> list[tuple[int, float]]:
    samples = []
    for done in range(1, calls + 1):
        ticket = call_and_show(shown, officer)
        officer.finish(ticket["id"])
        if done in (warm_up, calls) or done % 1000 == 0:
            samples.append((done, rss_mb()))
    return samples


def ms(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 50) * 1000:.1f} ms, p99 {percentile(values, 99) * 1000:.1f} ms, "
        f"max {max(values) * 1000:.1f} ms (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls for screen latency")
    parser.add_argument("--spoken", type=int, default=10, help="calls announced, then recalled")
    parser.add_argument("--phrases", type=int, default=50)
    parser.add_argument("--memory-calls", type=int, default=5000)
    args = parser.parse_args()
    # Fewer calls than the warm-up: measure growth over the second half instead.
    warm_up = min(WARM_UP, max(1, args.memory_calls // 2))
    # The station's speech cache in scratch: a "new" phrase really is new.
    scratch_cache = tempfile.TemporaryDirectory()
    os.environ["XDG_CACHE_HOME"] = scratch_cache.name
    print(f"## TV display ({today()})")
    print(f"machine: {machine()}")
    with demo_server() as server, tempfile.TemporaryDirectory() as scratch:
        officer = Officer(server.url, server.kiosk_token)
        quiet = open_tv(server.url, server.display_token, Path(scratch), announce=False)
        on_screen, _ = measure_screen_and_chime(quiet, officer, args.calls)
        print(f"event received → number on screen: {ms(on_screen)} (budget 100 ms)")
        quiet.close()
        spoken_dir = Path(scratch) / "spoken"
        spoken_dir.mkdir()
        loud = open_tv(server.url, server.display_token, spoken_dir, announce=True)
        engine_start = wait_for_voice(loud)
        print(f"speech engine start (station start → voice ready): {engine_start * 1000:.0f} ms")
        spoken = measure_spoken(loud, officer, args.spoken)
        loud.close()
        print(f"event received → audio starts (chime): {ms(spoken.to_chime)} (budget 300 ms)")
        for kind, budget in (("new", 600), ("cached", 300)):
            print(
                f"event received → speech ready, {kind} phrase: {ms(spoken.ready[kind])} "
                f"(budget {budget} ms); silence added after the chime: "
                f"{ms(spoken.silence[kind])}"
            )
        new, cached = measure_render(Path(scratch) / "cache", args.phrases)
        print(f"phrase render alone, new: {ms(new)}; cached: {ms(cached)}")
        memory_dir = Path(scratch) / "memory"
        memory_dir.mkdir()
        tv = open_tv(server.url, server.display_token, memory_dir, announce=False)
        samples = measure_memory(tv, officer, args.memory_calls, warm_up)
        tv.close()
    scratch_cache.cleanup()
    base = next(mb for calls, mb in samples if calls == warm_up)
    end = samples[-1][1]
    growth = (end - base) / base
    verdict = "met" if growth <= MEMORY_BUDGET else "MISSED"
    print("RSS (MiB) by calls: " + ", ".join(f"{c}: {mb:.1f}" for c, mb in samples))
    print(f"growth after warm-up: {growth:+.1%} (budget +10 %: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
