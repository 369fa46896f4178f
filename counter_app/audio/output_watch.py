"""Is there a sound device? Said once when it changes, not per call.

With no sound device every playback fails; a log line per call would bury the one that
matters. ``OutputWatch`` warns at start when there is none, then only on a change: WARNING
when the last device goes, INFO when one comes back. Qt-free, so the decision is tested
without plugging a device in; the player feeds it from QMediaDevices.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
GONE = "no audio output device: announcements are shown but not heard"
BACK = "an audio output device is back: announcements are heard again"


class OutputWatch:
    def __init__(self, has_output: bool) -> None:
        self.has_output = has_output
        if not has_output:
            log.warning(GONE)

    def update(self, has_output: bool) -> bool:
        """Record what the system says now; ``True`` when that is a change (and logged)."""
        if has_output == self.has_output:
            return False
        self.has_output = has_output
        if has_output:
            log.info(BACK)
        else:
            log.warning(GONE)
        return True
