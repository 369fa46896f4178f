"""The nightly backup, run from the housekeeping loop (``server.sweeper``).

Each night at ``backup_time`` (local time of the first branch, default 02:00) the server takes
a backup into ``backup_dir`` and keeps the newest ``backup_keep``. The first one is due at the
next such time after the server starts: a server started in the afternoon does not back up
at once. A night the server was off is not made up for. Several server processes on one
PostgreSQL database skip a night's backup once the directory holds one taken since it was due.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from counter_app.config import Settings
from counter_app.store import backup
from counter_app.store.db import Database
from counter_app.store.models import Branch

log = logging.getLogger(__name__)
DEFAULT_ZONE = "Asia/Jakarta"


class NightlyBackups:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.directory: Path = settings.backups_directory()
        hours, minutes = settings.backup_time.split(":")
        self.at = time(int(hours), int(minutes))
        self.next_due: datetime | None = None

    def _zone(self) -> ZoneInfo:
        with self.db.read() as session:
            name = session.scalar(select(Branch.timezone).order_by(Branch.id).limit(1))
        return ZoneInfo(name or DEFAULT_ZONE)

    def following(self, now: datetime) -> datetime:
        """The first backup time strictly after ``now`` (aware, in the branch's zone)."""
        local = now.astimezone(self._zone())
        due = datetime.combine(local.date(), self.at, tzinfo=local.tzinfo)
        return due if due > local else due + timedelta(days=1)

    def tick(self, now: datetime) -> Path | None:
        """Take the night's backup if it is due; returns the file taken, if any."""
        if not self.settings.backup_nightly:
            return None
        if self.next_due is None:
            self.next_due = self.following(now)
            return None
        if now < self.next_due:
            return None
        due, self.next_due = self.next_due, self.following(now)
        taken = None
        if not self._taken_since(due):
            taken = backup.take_backup(self.db.url, self.directory, now)
            log.info("nightly backup written to %s", taken)
        removed = backup.prune(self.directory, self.db.url, self.settings.backup_keep)
        if removed:
            log.info("removed %d old backups (keeping %d)", len(removed), self.settings.backup_keep)
        return taken

    def _taken_since(self, due: datetime) -> bool:
        stamp = due.astimezone(UTC).strftime(backup.STAMP_FORMAT)
        head = len(backup.PREFIX + backup.database_label(self.db.url)) + 1
        return any(
            path.name[head:].removesuffix(path.suffix) >= stamp
            for path in backup.backups_of(self.directory, self.db.url)
        )
