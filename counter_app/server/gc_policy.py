"""How the server process uses Python's cyclic garbage collector.

The collector pauses the event loop while it walks the objects of the generations it collects.
Two things make that expensive in this server:

* what is built at start (the app, its routes, models, the SQL statements) lives as long as
  the process, yet a full collection would walk all of it every time;
* each open event stream (a TV, a counter window, a phone following its ticket) holds a
  couple of hundred objects (the connection, the framework's call stack, its queue), and a
  full collection over a thousand streams holds the loop long enough to delay every event
  sent meanwhile (measurements in docs/PERFORMANCE.md).

So: what exists once the server has started is frozen (never walked again), young
collections run after 5,000 new objects instead of 700, and a full collection waits for
100 intermediate ones instead of 10. Garbage in cycles is still collected, only in fewer,
larger batches; objects without cycles are freed at once by reference counting as always.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 5_000
MIDDLE_THRESHOLD = 10
OLD_THRESHOLD = 100


def settle_after_start() -> None:
    """Call once the server has built everything it keeps for its whole life."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
