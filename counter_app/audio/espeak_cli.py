"""espeak-ng's own command line as the speech engine (Linux): one process per phrase.

pyttsx3 2.99's espeak driver synthesises on espeak's own thread and collects the samples in a
buffer that both threads write without a lock (its ``runAndWait()`` can even return before
synthesis starts, #219). Now and then (1–3 renders in 60, more under load) it reaches the
end of the utterance with that buffer empty and writes a header-only WAV, then sits idle:
nothing more comes, so the worker waited 3 s and a fresh engine rendered it again. Pausing
between renders, or waiting until the driver is idle before the next one, does not prevent it.
It also drops the last block of samples of every phrase.

``espeak-ng -v id -s RATE -w FILE`` has none of that: it returns when the file is complete,
takes the rate it is given (its default is 175 words a minute), and a failure is an exit code.
The file is written beside the target and renamed into place, so a half-written phrase is
never seen. Windows keeps pyttsx3 with SAPI5, a different driver (the render check and the
retry in a fresh engine still guard it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

LANGUAGE = "id"
RENDER_TIMEOUT = 15.0


def executable() -> str | None:
    """The espeak-ng program on PATH, or ``None``."""
    return shutil.which("espeak-ng")


def indonesian_voice(program: str) -> str | None:
    """The Indonesian voice file espeak-ng would use (``poz/id``), or ``None``.

    ``espeak-ng --voices=id`` lists the voices for the language; mbrola voices (``mb/…``) need
    separately installed data, so espeak-ng's own voice is preferred.
    """
    try:
        listing = subprocess.run(
            [program, f"--voices={LANGUAGE}"],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in listing.splitlines()[1:]:
        columns = line.split()
        # Pty Language Age/Gender VoiceName File [Other languages]
        if len(columns) >= 5 and columns[1] == LANGUAGE and not columns[4].startswith("mb/"):
            return columns[4]
    return None


def render(program: str, text: str, path: Path, rate: int) -> str | None:
    """Write ``text`` spoken at ``rate`` words a minute to ``path``; ``None``, or why not."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        result = subprocess.run(
            # The text on stdin: nothing in it is taken for an option.
            [program, "-v", LANGUAGE, "-s", str(rate), "-w", str(partial), "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=RENDER_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip()
            return f"espeak-ng failed ({result.returncode}): {detail}"
        if not partial.exists():
            return "the engine wrote no sound"
        os.replace(partial, path)
        return None
    except (OSError, subprocess.SubprocessError) as exc:
        return f"espeak-ng failed: {exc}"
    finally:
        partial.unlink(missing_ok=True)
