"""espeak-ng's own command line as the speech engine (Linux): one process per phrase.

pyttsx3 2.99's espeak driver synthesises on espeak's own thread and ends its loop from there:
``runAndWait()`` returns before the sound exists (#219), and the callback that writes the
file then marks the engine idle and ends "the" loop *after* the file is written. When the next
phrase arrives in that window, the late ``endLoop()`` stops the new ``runAndWait()`` before it
starts synthesising: no file at all (about one render in twelve on a busy machine), found only
after a wait and a fresh engine. It also drops the last block of samples.

``espeak-ng -v id -s RATE -w FILE`` has none of that: it returns when the file is complete,
takes the rate it is given (its default is 175 words a minute), and a failure is an exit code.
The file is written beside the target and renamed into place, so a half-written phrase is
never seen. Windows keeps pyttsx3 (SAPI5), which has no such thread.
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
