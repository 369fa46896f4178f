"""How long a GUI test waits for something the window does off the Qt thread.

A bound, not a delay: a wait ends as soon as its condition holds, so one generous value
serves every test (a loaded CI machine answers slowly; a hung one fails within it).
"""

from __future__ import annotations

WAIT_MS = 15_000
