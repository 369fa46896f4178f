"""Which screen the TV window lives on, and following screens that come and go.

A counter PC's HDMI TV or a video wall is a second screen that can be unplugged and plugged
back during the day. ``--screen`` names it by position (0, 1, …) or by its name (``HDMI-1``).
The window is moved *before* it is made fullscreen (``setScreen`` then ``showFullScreen``):
the other way round, the window manager fills the wrong screen. When the wanted screen goes
away the window waits on the primary screen, and goes back when it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def pick_screen(screens: list[QScreen], wanted: str | None, primary: QScreen | None) -> QScreen:
    """The screen named or numbered by ``wanted``; else the primary one (or the first)."""
    fallback = primary if primary is not None else screens[0]
    if wanted is None or wanted == "":
        return fallback
    for screen in screens:
        if screen.name() == wanted:
            return screen
    if wanted.isdigit() and int(wanted) < len(screens):
        return screens[int(wanted)]
    return fallback


class ScreenKeeper(QObject):
    """Keeps ``window`` on the wanted screen, fullscreen unless ``windowed``."""

    def __init__(
        self,
        window: QWidget,
        wanted: str | None,
        *,
        windowed: bool,
        before_show: Callable[[QSize], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.before_show = before_show
        self.window = window
        self.wanted = wanted
        self.windowed = windowed
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        self.app = app
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)

    def target(self) -> QScreen:
        return pick_screen(self.app.screens(), self.wanted, self.app.primaryScreen())

    def place(self) -> QScreen:
        screen = self.target()
        handle = self.window.windowHandle()
        if handle is not None and handle.screen() is screen and self.window.isVisible():
            return screen
        self.window.setScreen(screen)
        if self.windowed:
            # A 16:9 window of about two thirds of the screen: a preview beside other windows.
            room = screen.availableGeometry()
            width = min(room.width() * 2 // 3, room.height() * 2 // 3 * 16 // 9)
            size = QSize(width, width * 9 // 16)
            if self.before_show is not None:
                self.before_show(size)
            self.window.resize(size)
            self.window.move(room.topLeft())
            self.window.show()
        else:
            if self.before_show is not None:
                self.before_show(screen.geometry().size())
            self.window.setGeometry(screen.geometry())
            self.window.showFullScreen()
        log.info("display window on screen %s (%s)", screen.name(), screen.geometry())
        return screen

    def _screens_changed(self, _screen: QScreen) -> None:
        self.place()
