"""How the server process uses Python's cyclic garbage collector.

The collector pauses the event loop while it walks the objects of the generations it collects.
Two things make that expensive in this server:

* what is built at start (the app, its routes, models, the SQL statements) lives as long as
  the process, yet a full collection would walk all of it every time;
* each open event stream (a TV, a counter window, a phone following its ticket) holds a
  couple of hundred objects (the connection, the framework's call stack, its queue), and a
  full collection over a thousand streams holds the loop long enough to delay every event
  sent meanwhile (measurements in docs/PERFORMANCE.md).

So: while the process starts, the collector is off (``python -m counter_app``,
``pause_during_start``): the few hundred modules, the routes and their models imported and
built then all live as long as the process, and the collector walking them again and again
meanwhile cost 0.15–0.2 s of the start's CPU (docs/PERFORMANCE.md). Then what exists once the
server has started is frozen (never walked again) without a collection first: a full one
walks the 180,000 objects for 0.05–0.1 s before the first answer. What it would find, about
2,400 objects (380 KiB), is mostly the command line's parser, whose cycles are collected
apart as soon as it is done (``collected_apart``, a few ms); the rest (about 700 objects,
230 KiB left by the imports) stays with the frozen, once. Young
collections run after 5,000 new objects instead of 700, and a full collection waits for
100 intermediate ones instead of 10. Garbage in cycles is still collected, only in fewer,
larger batches; objects without cycles are freed at once by reference counting as always.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 5_000
MIDDLE_THRESHOLD = 10
OLD_THRESHOLD = 100


def pause_during_start() -> None:
    """Call first thing in a process that starts a command; ``resume`` or
    ``settle_after_start`` switches the collector back on."""
    gc.disable()


def resume() -> None:
    """The collector as Python has it (a command that is not the server, or the supervisor
    of several worker processes)."""
    gc.enable()


@contextmanager
def collected_apart() -> Iterator[None]:
    """Collect the garbage in cycles that the block leaves, walking only what it made: what
    existed before is set aside (frozen) meanwhile, and put back (into the oldest
    generation) after. In a process that has frozen objects already (a started server) the
    block runs as it is: putting back would unfreeze those too."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()


def settle_after_start() -> None:
    """Call once the server has built everything it keeps for its whole life."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
    gc.enable()
