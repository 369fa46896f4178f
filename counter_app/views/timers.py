"""A one-off delayed call that belongs to an object: it never fires after that object is gone.

A bare ``QTimer.singleShot(ms, lambda: ...)`` belongs to nobody: if the window or controller
it was meant for is deleted meanwhile (closed, logged out, a test finished), the lambda still
runs and touches a deleted C++ object. ``later`` passes the owner as Qt's context object, so
Qt drops the call when the owner is destroyed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def later(owner: QObject, msecs: int, call: Callable[[], object]) -> None:
    """Call ``call`` once, on ``owner``'s thread, after ``msecs`` — unless ``owner`` dies first."""
    QTimer.singleShot(msecs, owner, call)
