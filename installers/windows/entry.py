"""The frozen program's entry point: the same ``counter-app`` command as a pip install."""

from __future__ import annotations

import multiprocessing

if __name__ == "__main__":
    # The speech worker runs in a child process (counter_app.audio); a frozen program
    # must let such a child start as a child, not as a second copy of the command.
    multiprocessing.freeze_support()
    from counter_app.cli import main

    raise SystemExit(main())
