"""A private PulseAudio server with a null sink, so announcements are really played and recorded.

Qt plays through PulseAudio on Linux. The test starts its own daemon (no session, no real
sound card) with one sink, ``hall``, and records that sink's monitor with ``parec``: what the
recording holds is exactly what a loudspeaker would have played. Without ``pulseaudio`` the
test skips with the reason, except in CI, where it fails (the bootstrap installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SINK = "hall"
RATE = 16_000


@dataclass
class Pulse:
    server: str  # the PULSE_SERVER value for clients

    def env(self) -> dict[str, str]:
        return {**os.environ, "PULSE_SERVER": self.server}

    @contextmanager
    def recording(self, path: Path) -> Iterator[None]:
        """Record what the hall's sink plays into a WAV file."""
        log = path.with_suffix(".parec.log").open("wb")
        recorder = subprocess.Popen(
            [
                "parec",
                "--server",
                self.server,
                "-d",
                f"{SINK}.monitor",
                "--file-format=wav",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=20",
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            # Start only once the recorder really records (a tenth of a second of silence in).
            deadline = time.monotonic() + 10
            while not path.exists() or path.stat().st_size < 44 + RATE // 10 * 2:
                if recorder.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"parec did not start recording (see {log.name})")
                time.sleep(0.02)
            yield
            time.sleep(1.5)  # and the silence after it
        finally:
            recorder.terminate()
            recorder.wait(10)
            log.close()


def require_pulseaudio() -> None:
    missing = [tool for tool in ("pulseaudio", "parec", "pactl") if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (Debian: pulseaudio pulseaudio-utils)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the sound tests, but: {reason}")
    pytest.skip(reason)


@contextmanager
def pulse_server(folder: Path) -> Iterator[Pulse]:
    require_pulseaudio()
    runtime = folder / "pulse-runtime"
    runtime.mkdir(mode=0o700)
    socket = runtime / "native"
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(folder)}
    log = (folder / "pulseaudio.log").open("wb")
    daemon = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
         "--use-pid-file=no", "--system=no",
         "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1",
         "-L", f"module-null-sink sink_name={SINK}",
         "-L", "module-always-sink"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )  # fmt: skip
    server = f"unix:{socket}"
    try:
        deadline = time.monotonic() + 15
        while True:
            probe = subprocess.run(
                ["pactl", "--server", server, "info"], capture_output=True, check=False, env=env
            )
            if probe.returncode == 0:
                break
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pulseaudio did not start (see {log.name})")
            time.sleep(0.1)
        subprocess.run(["pactl", "--server", server, "set-default-sink", SINK], check=True)
        yield Pulse(server)
    finally:
        daemon.terminate()
        try:
            daemon.wait(10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait(5)
        log.close()
