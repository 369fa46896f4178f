"""The optional media area: the office's own pictures and videos from a folder, in a loop.

Videos play muted (the hall must hear the calls); a picture stays ``IMAGE_SECONDS``. A file
that cannot be shown is skipped and logged; the folder is read again at the end of each round,
so the office can change its slides by copying files, without touching the TV.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QStackedLayout, QWidget

from counter_app.views.plain import plain_label
from counter_app.views.timers import later

log = logging.getLogger(__name__)
IMAGE_SECONDS = 10
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mkv", ".avi", ".mov", ".m4v"})


def media_files(folder: Path) -> list[Path]:
    """Pictures and videos in the folder, in name order (so "01-…", "02-…" sets the order)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        log.warning("media folder %s cannot be read: %s", folder, exc)
        return []
    return [p for p in entries if p.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES]


class MediaArea(QWidget):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("media_area")
        self.folder = folder
        self.image = plain_label()
        self.image.setObjectName("media_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video = QVideoWidget()
        self.player = QMediaPlayer(self)
        self.player.setVideoOutput(self.video)  # no audio output: muted
        self.player.mediaStatusChanged.connect(self._video_status)
        self.player.errorOccurred.connect(self._video_error)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.image)
        self.stack.addWidget(self.video)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.show_next)
        self.playlist: list[Path] = []
        self.current: Path | None = None
        self._pixmap = QPixmap()

    def start(self) -> None:
        self.show_next()

    def stop(self) -> None:
        self.timer.stop()
        self.player.stop()

    def show_next(self) -> None:
        for _attempt in range(2):  # the rest of this round, then one fresh round
            while self.playlist:
                path = self.playlist.pop(0)
                if self._show(path):
                    return
            self.playlist = media_files(self.folder)
        self.current = None
        self.timer.start(IMAGE_SECONDS * 1000)  # nothing showable: look again later

    def _show(self, path: Path) -> bool:
        self.current = path
        if path.suffix.lower() in VIDEO_SUFFIXES:
            self.stack.setCurrentWidget(self.video)
            self.player.setSource(QUrl.fromLocalFile(str(path)))
            self.player.play()
            return True
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            log.warning("cannot show %s: not a readable picture", path)
            return False
        self.player.stop()
        self._pixmap = pixmap
        self._fit()
        self.stack.setCurrentWidget(self.image)
        self.timer.start(IMAGE_SECONDS * 1000)
        return True

    def _fit(self) -> None:
        if self._pixmap.isNull():
            return
        self.image.setPixmap(
            self._pixmap.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _video_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self.show_next()

    def _video_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        log.warning("cannot play %s: %s", self.current, message)
        later(self, 0, self.show_next)
