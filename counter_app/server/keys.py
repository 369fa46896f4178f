"""The keys of online booking, one per purpose, and where each is kept (store.secrets).

* NIK hash keys: ``COUNTER_APP_NIK_KEY`` when set, otherwise the key file (``nik_key_file``;
  by default beside an SQLite database, or in the data directory), created on first start.
  Never in the database. A database of an older version still holding the shared secret has
  its NIK key moved to the key file and the secret deleted.
* Form key: derived from ``COUNTER_APP_BOOKING_SECRET`` when set, otherwise a key in the
  database shared by every server process.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from counter_app.config import Settings, default_data_dir
from counter_app.core.nik import NikKeys, nik_key_id
from counter_app.store import secrets as store_secrets
from counter_app.store.db import Database
from counter_app.store.secrets import NikKeyError

log = logging.getLogger(__name__)
KEY_FILE_NAME = "nik-keys"


@dataclass(frozen=True)
class Keys:
    nik: NikKeys  # HMAC-SHA256 keys of the stored NIK hashes
    form: bytes  # signs the anti-CSRF form tokens of the web pages


def nik_key_path(settings: Settings) -> Path:
    """The key file: as set, else beside an SQLite database file (``<name>.nik-keys``), else
    ``nik-keys`` in the data directory. Beside the database, never inside it."""
    if settings.nik_key_file is not None:
        return settings.nik_key_file
    url = make_url(settings.db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(f"{database.stem}.{KEY_FILE_NAME}")
    return default_data_dir() / KEY_FILE_NAME


def _nik_keys(settings: Settings, db: Database, now: datetime) -> NikKeys:
    path = nik_key_path(settings)
    with db.write() as session:
        legacy = store_secrets.legacy_secret(session)
        if settings.nik_key:
            if legacy is not None:
                raise NikKeyError(
                    "The database still holds its old NIK key: start once without "
                    "COUNTER_APP_NIK_KEY to move it to the key file."
                )
            keys = NikKeys(store_secrets.parse_keys(settings.nik_key))
        else:
            keys_found = store_secrets.read_key_file(path)
            if keys_found is None:
                if legacy is not None:
                    first = store_secrets.derive(legacy, "nik")
                elif settings.booking_secret:
                    first = store_secrets.derive(settings.booking_secret.encode(), "nik")
                else:
                    first = secrets.token_bytes(store_secrets.KEY_BYTES)
                keys_found = store_secrets.create_key_file(path, (first,))
                log.info("NIK hash key file created at %s", path)
            keys = keys_found
        if legacy is not None:
            if keys.by_id(nik_key_id(store_secrets.derive(legacy, "nik"))) is None:
                raise NikKeyError(
                    f"The NIK key file {path} does not hold the database's old NIK key; "
                    "move that file away and start again to move the old key out."
                )
            store_secrets.move_legacy_secret(session, legacy, now)
            log.info("the NIK key was moved out of the database to %s", path)
        store_secrets.label_unlabelled_hashes(session, keys.ids[0])
        missing = store_secrets.unknown_key_ids(session, keys)
        if missing:
            raise NikKeyError(
                f"Bookings were hashed with NIK key(s) {', '.join(sorted(missing))}, which "
                f"{'COUNTER_APP_NIK_KEY' if settings.nik_key else path} lacks: restore the "
                "key file (docs/PRIVACY.md)."
            )
    return keys


def _form_key(settings: Settings, db: Database, now: datetime) -> bytes:
    if settings.booking_secret:
        return store_secrets.derive(settings.booking_secret.encode(), "form")
    with db.write() as session:
        return store_secrets.ensure_secret(session, store_secrets.FORM_SECRET, now)


def load_keys(settings: Settings, db: Database, now: datetime) -> Keys:
    nik = _nik_keys(settings, db, now)
    return Keys(nik=nik, form=_form_key(settings, db, now))
