"""``counter-app backup`` and ``counter-app restore FILE`` (store/backup.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter_app.cli_common import fail as _fail
from counter_app.cli_common import settings_from as _settings


def cmd_backup(args: argparse.Namespace) -> int:
    from counter_app.store.backup import BackupError, take_backup

    settings = _settings(args)
    directory = Path(args.to) if args.to else settings.backups_directory()
    try:
        taken = take_backup(settings.db_url, directory)
    except BackupError as exc:
        return _fail(str(exc))
    print(f"backup written to {taken}")
    print(f"  manifest and checksum: {taken.name}.json, {taken.name}.sha256")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from counter_app.store.backup import BackupError, restore

    settings = _settings(args)
    try:
        manifest = restore(Path(args.file), settings.db_url, force=args.force)
    except BackupError as exc:
        return _fail(str(exc))
    print(
        f"restored {manifest.file} (taken {manifest.created_at} by counter-app "
        f"{manifest.app_version}); start the server: it brings the schema up to date"
    )
    return 0


def add_backup_commands(sub: Any, with_db: Any) -> None:
    backup = with_db(
        sub.add_parser("backup", help="copy the database (safe while the server runs)")
    )
    backup.add_argument("--to", help="directory for the backup (default: the backup_dir setting)")
    backup.set_defaults(func=cmd_backup)

    restore = with_db(sub.add_parser("restore", help="put the database back as it was in a backup"))
    restore.add_argument("file", help="the backup file (its .json manifest beside it)")
    restore.add_argument(
        "--force",
        action="store_true",
        help="PostgreSQL: replace the contents of a database that already has tables",
    )
    restore.set_defaults(func=cmd_restore)
